"""The negative-review workflow (中差评): escalation and hand-over, and a buyer who cannot be reached
(the contact limit, do-not-contact). Through the real services."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from cases.models import Case, Customer
from config.service_errors import Conflict, NotAllowed
from tests.factories import log, reach, step, walk
from tests.reviews.factories import TO_REMEDIED, open_review_case
from tests.reviews.review_scene import SHANGHAI, state_of, written


def test_only_a_supervisor_hands_a_review_case_over(shop, agent, teammate):
    case = walk(open_review_case(shop, agent), agent, "calm")
    before = written(case)

    with pytest.raises(NotAllowed):
        step(case, "hand_over", agent, to=teammate.username, reason="Tired.")

    assert written(case) == before


def test_a_hand_over_restarts_calm_and_listen_with_the_new_agent(shop, agent, teammate, supervisor):
    case = walk(open_review_case(shop, agent), agent, "calm", "listen")

    case = step(case, "hand_over", supervisor, to=teammate.username, reason="Deadlocked.")

    row = Case.objects.get(pk=case.pk)
    assert (row.state, row.assignee, row.calmed_at, row.core_problem) == ("new", teammate, None, "")
    with pytest.raises(Conflict):
        step(case, "remedy", teammate)


def test_after_a_hand_over_the_new_agent_must_reach_the_buyer_again_before_calming(
    shop, agent, teammate, supervisor
):
    case = walk(open_review_case(shop, agent), agent, "calm")
    step(case, "hand_over", supervisor, to=teammate.username, reason="Deadlocked.")
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "calm", teammate)

    assert written(case) == before
    reach(case, teammate)
    step(case, "calm", teammate)
    assert state_of(case) == "calmed"


def test_a_buyer_unreachable_after_the_contact_limit_gets_only_a_public_reply(shop, agent):
    case = walk(open_review_case(shop, agent), agent)
    for _ in range(3):
        log(case, agent, outcome="no_answer")
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "calm", agent)

    assert written(case) == before
    step(case, "reply_publicly", agent)
    assert state_of(case) == "replied"


def test_a_buyer_reached_within_the_window_stays_workable_after_the_limit(shop, agent):
    case = open_review_case(shop, agent)
    reach(case, agent)
    log(case, agent, outcome="no_answer")
    log(case, agent, outcome="no_answer")

    step(case, "calm", agent)
    step(case, "listen", agent)

    assert state_of(case) == "understood"


def test_do_not_contact_is_remembered_for_the_buyers_other_review_cases(shop, agent):
    first = open_review_case(shop, agent, customer="same_buyer")
    second = open_review_case(shop, agent, customer="same_buyer")
    log(first, agent, channel="chat", direction="inbound", outcome="do_not_contact",
        body="不要再打电话了。")

    assert Customer.objects.get(handle="same_buyer").do_not_contact is True
    with pytest.raises(Conflict):
        step(second, "calm", agent)
    assert state_of(second) == "new"


def test_a_buyer_unreachable_at_the_limit_is_reachable_again_once_the_window_has_passed(
    shop, agent
):
    with time_machine.travel(datetime(2026, 5, 4, 10, 0, tzinfo=SHANGHAI), tick=False):
        case = open_review_case(shop, agent)
        for _ in range(3):
            log(case, agent, outcome="no_answer")
    with time_machine.travel(datetime(2026, 5, 11, 9, 59, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(Conflict) as refused:
            step(case, "calm", agent)
        assert "contact limit" in str(refused.value.message)
    with time_machine.travel(datetime(2026, 5, 11, 10, 0, tzinfo=SHANGHAI), tick=False):
        reach(case, agent)
        step(case, "calm", agent)

    assert state_of(case) == "calmed"


def test_a_buyer_reached_before_the_window_is_unreachable_after_three_unanswered_calls(
    shop, agent
):
    with time_machine.travel(datetime(2026, 5, 4, 10, 0, tzinfo=SHANGHAI), tick=False):
        case = walk(open_review_case(shop, agent), agent, "calm")
    with time_machine.travel(datetime(2026, 5, 12, 10, 0, tzinfo=SHANGHAI), tick=False):
        for _ in range(3):
            log(case, agent, outcome="no_answer")
        before = written(case)
        with pytest.raises(Conflict):
            step(case, "listen", agent)
        assert written(case) == before
        step(case, "reply_publicly", agent)

    assert state_of(case) == "replied"


def test_an_agent_escalates_and_the_supervisor_hands_the_case_over(
    shop, agent, teammate, supervisor
):
    case = walk(open_review_case(shop, agent), agent, "calm", "escalate")
    assert state_of(case) == "escalated"

    step(case, "hand_over", supervisor, to=teammate.username, reason="Fresh start.")

    row = Case.objects.get(pk=case.pk)
    assert (row.state, row.assignee, row.calmed_at) == ("new", teammate, None)
    walk(case, teammate, *TO_REMEDIED)
    assert state_of(case) == "remedied"


def test_a_closed_or_replied_case_cannot_be_escalated_or_handed_over(
    shop, agent, teammate, supervisor
):
    case = walk(open_review_case(shop, agent), agent, "reply_publicly")
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "escalate", agent)
    with pytest.raises(Conflict):
        step(case, "hand_over", supervisor, to=teammate.username, reason="Again.")

    assert written(case) == before
