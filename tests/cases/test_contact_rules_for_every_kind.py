"""Follow-up without harassment for every kind: the revision request is an outbound message, and
disputes follow the same rules."""

from __future__ import annotations

import pytest

from cases.models import Case, Contact, Kind, TimelineEvent
from config.service_errors import Conflict
from reviews.models import Review
from tests.cases.contact_rules import (
    CALL,
    MESSAGE,
    SHANGHAI,
    at,
    contact,
    refused,
    with_quiet_hours,
)
from tests.factories import open_case, step, walk
from tests.reviews.factories import TO_REMEDIED, open_review_case

# --- the revision request is an outbound message ------------------------------------------------

def test_a_revision_request_is_refused_inside_quiet_hours(shop, agent):
    with_quiet_hours(shop, "Asia/Shanghai")
    with at(SHANGHAI, 2026, 6, 15, 10, 0):
        case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)
    before = (Contact.objects.count(), TimelineEvent.objects.count())

    with at(SHANGHAI, 2026, 6, 15, 22, 0), pytest.raises(Conflict):
        step(case, "request_revision", agent)

    assert (Contact.objects.count(), TimelineEvent.objects.count()) == before
    assert Case.objects.get(pk=case.pk).state == "remedied"
    assert Review.objects.get(case=case).revision_requested_at is None
    with at(SHANGHAI, 2026, 6, 16, 8, 0):
        step(case, "request_revision", agent)
    assert Case.objects.get(pk=case.pk).state == "revision_requested"


def test_a_revision_request_counts_against_and_obeys_the_contact_limit(shop, agent):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)  # one reached call
    contact(case, agent, CALL)
    contact(case, agent, CALL)

    with pytest.raises(Conflict):
        step(case, "request_revision", agent)

    assert Case.objects.get(pk=case.pk).state == "remedied"
    assert Contact.objects.count() == 3


def test_a_revision_request_is_the_attempt_that_uses_up_the_limit(shop, agent):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)
    contact(case, agent, CALL)

    step(case, "request_revision", agent)

    assert refused(case, agent, MESSAGE) == "contact_limit"


# --- disputes follow the same rules -------------------------------------------------------------

@pytest.mark.parametrize("kind", [Kind.REFUND, Kind.NON_DELIVERY, Kind.NOT_AS_DESCRIBED])
def test_every_dispute_kind_obeys_quiet_hours_and_the_limit(shop, agent, kind):
    with_quiet_hours(shop, "Asia/Shanghai")
    with at(SHANGHAI, 2026, 6, 15, 10, 0):
        case = walk(open_case(shop, by=agent, kind=kind), agent, "acknowledge")
        for _ in range(3):
            contact(case, agent, CALL)
        assert refused(case, agent, CALL) == "contact_limit"
    with at(SHANGHAI, 2026, 6, 22, 22, 30):
        assert refused(case, agent, CALL) == "quiet_hours"
    with at(SHANGHAI, 2026, 6, 23, 9, 0):
        contact(case, agent, CALL)
