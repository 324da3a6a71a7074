"""The negative-review workflow (中差评): calm after reaching the buyer, listen, remedy, one
revision request, or a public reply; escalation and hand-over. Through the real services."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import services
from cases.models import Case, Contact, Customer, TimelineEvent
from config.service_errors import Conflict, InvalidInput, NotAllowed
from reviews.models import Review
from tests.factories import log, reach, step, walk
from tests.reviews.factories import TO_REMEDIED, open_review_case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def written(case: Case) -> tuple[Any, ...]:
    """Everything a refused step must leave as it was."""
    return (
        Case.objects.values_list("state", "assignee_id", "calmed_at", "core_problem",
                                 "chosen_remedy", "remedy_amount", "resolved_at").get(pk=case.pk),
        Review.objects.values_list("cause", "revision_requested_at", "revised_rating",
                                   "public_reply").get(case=case),
        Contact.objects.count(),
        TimelineEvent.objects.count(),
    )


def state_of(case: Case) -> str:
    return Case.objects.get(pk=case.pk).state


def test_a_new_review_case_cannot_be_calmed_before_the_buyer_is_reached(shop, agent):
    case = open_review_case(shop, agent)
    before = written(case)

    with pytest.raises(Conflict) as refused:
        step(case, "calm", agent)

    assert "Reach the buyer first" in str(refused.value.message)
    assert written(case) == before


def test_a_call_nobody_answered_does_not_count_as_reaching_the_buyer(shop, agent):
    case = open_review_case(shop, agent)
    log(case, agent, outcome="no_answer")
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "calm", agent)

    assert written(case) == before


def test_once_the_buyer_is_reached_the_case_is_calmed(shop, agent):
    case = open_review_case(shop, agent)
    reach(case, agent)

    case = step(case, "calm", agent)

    assert case.state == state_of(case) == "calmed"
    assert case.calmed_at is not None


def test_listening_records_the_core_problem_and_the_cause_on_the_review(shop, agent):
    case = walk(open_review_case(shop, agent), agent, "calm")

    case = step(case, "listen", agent, core_problem="The lid does not fit.", cause="quality")

    assert state_of(case) == "understood"
    assert Case.objects.get(pk=case.pk).core_problem == "The lid does not fit."
    assert Review.objects.get(case=case).cause == "quality"


@pytest.mark.parametrize(("data", "field"), [
    ({"core_problem": "", "cause": "quality"}, "core_problem"),
    ({"core_problem": "Cracked.", "cause": "weather"}, "cause"),
    ({"core_problem": "Cracked."}, "cause"),
])
def test_listening_needs_a_core_problem_and_a_known_cause(shop, agent, data, field):
    case = walk(open_review_case(shop, agent), agent, "calm")
    before = written(case)

    with pytest.raises(InvalidInput) as refused:
        services.run_transition(case_id=case.pk, name="listen", by=agent, data=data)

    assert field in refused.value.errors
    assert written(case) == before


@pytest.mark.parametrize("cause", ["quality", "logistics", "description_mismatch",
                                   "service_attitude", "price", "other"])
def test_every_cause_of_the_issue_is_accepted(shop, agent, cause):
    case = walk(open_review_case(shop, agent), agent, "calm")

    step(case, "listen", agent, cause=cause)

    assert Review.objects.get(case=case).cause == cause


@pytest.mark.parametrize(("remedy", "amount"), [
    ("partial_refund", "30.00"), ("partial_refund", "128.00"), ("reship", None),
    ("exchange", None), ("coupon", "10.00"), ("coupon", None), ("apology_only", None),
])
def test_each_remedy_is_recorded_with_its_amount(shop, agent, remedy, amount):
    case = walk(open_review_case(shop, agent), agent, "calm", "listen")

    step(case, "remedy", agent, remedy=remedy, amount=amount)

    row = Case.objects.get(pk=case.pk)
    assert (row.state, row.chosen_remedy) == ("remedied", remedy)
    assert row.remedy_amount == (None if amount is None else Decimal(amount))


@pytest.mark.parametrize(("data", "field"), [
    ({"remedy": "partial_refund", "amount": "128.01"}, "amount"),  # above what was paid
    ({"remedy": "partial_refund"}, "amount"),  # how much?
    ({"remedy": "partial_refund", "amount": "0"}, "amount"),
    ({"remedy": "partial_refund", "amount": "-5.00"}, "amount"),
    ({"remedy": "coupon", "amount": "500.00"}, "amount"),
    ({"remedy": "reship", "amount": "10.00"}, "amount"),  # no money moves
    ({"remedy": "apology_only", "amount": "1.00"}, "amount"),
    ({"remedy": "full_refund"}, "remedy"),  # not a review remedy
    ({"remedy": "return_and_refund"}, "remedy"),
])
def test_a_remedy_never_moves_more_money_than_was_paid_nor_money_where_none_moves(
    shop, agent, data, field
):
    case = walk(open_review_case(shop, agent), agent, "calm", "listen")
    before = written(case)

    with pytest.raises(InvalidInput) as refused:
        services.run_transition(case_id=case.pk, name="remedy", by=agent, data=data)

    assert field in refused.value.errors
    assert written(case) == before


def test_a_remedy_cannot_skip_calm_and_listen(shop, agent):
    case = open_review_case(shop, agent)
    reach(case, agent)
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "remedy", agent)

    assert written(case) == before


def test_an_escalated_case_is_remedied_when_calm_and_the_core_problem_are_on_record(
    shop, agent, supervisor
):
    case = walk(open_review_case(shop, agent), agent, "calm", "listen", "escalate")

    step(case, "remedy", supervisor)

    assert state_of(case) == "remedied"


def test_an_escalated_case_without_calm_and_core_problem_cannot_be_remedied(
    shop, agent, supervisor
):
    case = walk(open_review_case(shop, agent), agent, "escalate")
    reach(case, agent)
    before = written(case)

    with pytest.raises(Conflict) as refused:
        step(case, "remedy", supervisor)

    assert "calm" in str(refused.value.message).lower()
    assert written(case) == before


def test_asking_for_a_revision_is_logged_as_an_outbound_message(shop, agent):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)
    contacts = Contact.objects.count()

    step(case, "request_revision", agent, message="方便的话能否更新一下评价？")

    assert state_of(case) == "revision_requested"
    assert Review.objects.get(case=case).revision_requested_at is not None
    assert Contact.objects.count() == contacts + 1
    contact = Contact.objects.order_by("-id").first()
    assert (contact.direction, contact.body, contact.customer_id) == (
        "outbound", "方便的话能否更新一下评价？", case.customer_id)


def test_a_revision_is_requested_at_most_once_even_after_a_hand_over(
    shop, agent, teammate, supervisor
):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED, "request_revision")
    step(case, "hand_over", supervisor, to=teammate.username, reason="The buyer asked.")
    case = walk(case, teammate, *TO_REMEDIED)
    before = written(case)

    with pytest.raises(Conflict) as refused:
        step(case, "request_revision", teammate)

    assert "once" in str(refused.value.message)
    assert written(case) == before


def test_no_revision_is_requested_from_a_buyer_who_asked_not_to_be_contacted(shop, agent):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)
    log(case, agent, channel="chat", direction="inbound", outcome="do_not_contact",
        body="别再联系我了。")
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "request_revision", agent)

    assert written(case) == before
    assert Review.objects.get(case=case).revision_requested_at is None


def test_a_revised_review_is_recorded_and_the_case_closes(shop, agent):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED, "request_revision")

    case = step(case, "mark_revised", agent, new_rating="好评")
    case = step(case, "close", agent)

    row = Case.objects.get(pk=case.pk)
    assert (row.state, row.closed_as) == ("closed", "resolved")
    assert row.resolved_at is not None and row.closed_at is not None
    assert Review.objects.get(case=case).revised_rating == 5


@pytest.mark.parametrize("new_rating", [0, 6, "great", "", None])
def test_a_revised_rating_must_be_a_rating(shop, agent, new_rating):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED, "request_revision")
    before = written(case)

    with pytest.raises(InvalidInput) as refused:
        services.run_transition(case_id=case.pk, name="mark_revised", by=agent,
                                data={"new_rating": new_rating})

    assert "new_rating" in refused.value.errors
    assert written(case) == before


@pytest.mark.parametrize("path", [
    (), ("calm",), ("calm", "listen"), TO_REMEDIED, (*TO_REMEDIED, "request_revision"),
    ("escalate",),
])
def test_a_public_reply_is_possible_from_every_open_state(shop, agent, path):
    case = walk(open_review_case(shop, agent), agent, *path)

    case = step(case, "reply_publicly", agent, text="感谢您的反馈，我们已为您补发。")

    assert state_of(case) == "replied"
    assert Review.objects.get(case=case).public_reply == "感谢您的反馈，我们已为您补发。"
    assert Case.objects.get(pk=case.pk).resolved_at is not None
    step(case, "close", agent)
    assert state_of(case) == "closed"


@pytest.mark.parametrize("state_path", [(), ("calm",), ("calm", "listen"), TO_REMEDIED,
                                        (*TO_REMEDIED, "request_revision")])
def test_a_case_closes_only_once_revised_or_replied(shop, agent, state_path):
    case = walk(open_review_case(shop, agent), agent, *state_path)
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "close", agent)

    assert written(case) == before


def test_a_public_reply_with_a_phrase_to_avoid_is_refused_with_its_positions(shop, agent):
    case = open_review_case(shop, agent)
    before = written(case)

    with pytest.raises(InvalidInput) as refused:
        step(case, "reply_publicly", agent, text="我们很重视，但是我不能退款。")

    assert "text" in refused.value.errors
    assert len(refused.value.errors["text"]) == 2
    assert refused.value.extra["phrase_hits"] == [
        {"phrase": "但是", "start": 6, "end": 8, "suggestion": "称赞之后不要接“但是”"},
        {"phrase": "我不能", "start": 8, "end": 11, "suggestion": "看看我们能够帮你做什么"},
    ]
    assert written(case) == before


def test_a_closed_case_cannot_be_replied_to_again(shop, agent):
    case = walk(open_review_case(shop, agent), agent, "reply_publicly", "close")
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "reply_publicly", agent)

    assert written(case) == before


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


def test_a_revision_request_with_a_phrase_to_avoid_is_sent_with_the_hits_as_a_warning(
    shop, agent
):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)

    step(case, "request_revision", agent, message="东西不错，但是能否改一下评价？")

    assert state_of(case) == "revision_requested"
    event = TimelineEvent.objects.filter(case=case, type="contact_logged").order_by("-id").first()
    assert event.data["phrase_hits"] == [
        {"phrase": "但是", "start": 5, "end": 7, "suggestion": "称赞之后不要接“但是”"}]


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
