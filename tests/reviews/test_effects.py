"""What the review workflow writes besides the case row (reviews/effects.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Contact, TimelineEvent
from notifications.models import Reminder, ReminderState
from reviews.models import Review
from tests.factories import log, step
from tests.reviews.factories import open_review_case


def remedied_after_the_buyer_called_in(shop, agent) -> Case:
    """The buyer called the shop (inbound, reached): no outbound contact yet, no first response."""
    case = open_review_case(shop, agent)
    log(case, agent, direction="inbound", body="买家来电说杯子漏水。")
    for name in ("calm", "listen", "remedy"):
        step(case, name, agent)
    assert Case.objects.get(pk=case.pk).first_responded_at is None
    return case


def test_a_revision_request_is_logged_as_an_outbound_message_with_its_event(shop, agent):
    case = remedied_after_the_buyer_called_in(shop, agent)

    step(case, "request_revision", agent, message="方便的话能否更新一下评价？")

    contact = Contact.objects.filter(case=case).latest("id")
    assert (contact.channel, contact.direction, contact.body) == (
        "chat", "outbound", "方便的话能否更新一下评价？")
    assert Review.objects.get(case=case).revision_requested_at == contact.at
    logged = TimelineEvent.objects.filter(case=case, type="contact_logged").latest("id")
    assert logged.data["contact_id"] == contact.pk


def test_a_revision_request_is_a_first_response_and_ends_its_reminders(shop, agent):
    case = remedied_after_the_buyer_called_in(shop, agent)

    step(case, "request_revision", agent)

    case = Case.objects.get(pk=case.pk)
    assert case.first_responded_at == Contact.objects.filter(case=case).latest("id").at
    first_response = Reminder.objects.filter(case=case, deadline="first_response")
    assert first_response.exists()
    assert not first_response.filter(state=ReminderState.PENDING).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_revision_request_locks_the_buyer_like_any_outbound_contact(shop, agent):
    case = remedied_after_the_buyer_called_in(shop, agent)

    with CaptureQueriesContext(connection) as queries:
        step(case, "request_revision", agent)

    assert any('FROM "cases_customer"' in q["sql"] and "FOR UPDATE" in q["sql"]
               for q in queries.captured_queries)


def test_a_revision_request_right_after_the_buyer_wrote_is_still_outreach(shop, agent):
    case = remedied_after_the_buyer_called_in(shop, agent)
    log(case, agent, channel="chat", direction="inbound", outcome="", body="杯子收到了。")

    step(case, "request_revision", agent)

    assert Contact.objects.filter(case=case).latest("id").outreach is True
