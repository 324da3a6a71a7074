"""Refunds above a shop's limits wait for a supervisor: the rule, its edges, who may decide."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cases import services
from cases.approval import NEEDS_APPROVAL, reasons_text
from cases.models import Case, Kind, State, TimelineEvent
from config.service_errors import NotAllowed
from notifications.models import Reminder, ReminderKind
from tests.factories import open_case, step, walk

UNDERSTOOD = ("acknowledge", "calm", "listen")


def limits(shop, *, above=None, share=None, after_refunds=None):
    shop.refund_approval_above = None if above is None else Decimal(above)
    shop.refund_approval_share = None if share is None else Decimal(share)
    shop.refund_approval_after_refunds = after_refunds
    shop.save()


def understood_refund(shop, agent, **payload):
    case = open_case(shop, by=agent, **payload)
    return walk(case, agent, *UNDERSTOOD)


def propose(case, by, amount="100.00"):
    return step(case, "propose", by, remedy="partial_refund", amount=amount)


def test_without_limits_a_refund_is_proposed_at_once_as_before(shop, agent):
    case = propose(understood_refund(shop, agent), agent, amount="128.00")

    assert case.state == State.PROPOSED


@pytest.mark.parametrize(("amount", "state"), [
    ("99.99", State.PROPOSED), ("100.00", State.PROPOSED), ("100.01", State.AWAITING_APPROVAL)])
def test_a_refund_above_the_amount_waits_for_approval_at_its_edge(shop, agent, amount, state):
    limits(shop, above="100.00")

    case = propose(understood_refund(shop, agent), agent, amount=amount)

    assert case.state == state


@pytest.mark.parametrize(("amount", "state"), [
    ("64.00", State.PROPOSED), ("64.01", State.AWAITING_APPROVAL)])
def test_a_refund_above_the_share_of_the_paid_amount_waits_for_approval(shop, agent, amount,
                                                                         state):
    limits(shop, share="0.5")  # the order paid 128.00

    case = propose(understood_refund(shop, agent), agent, amount=amount)

    assert case.state == state


def resolved_refund(shop, agent, handle, days_ago=0):
    case = understood_refund(shop, agent, customer={"name": "王芳", "handle": handle})
    case = walk(propose(case, agent, amount="10.00"), agent, "accept")
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=days_ago))
    return case


def test_a_buyer_with_n_refunds_in_90_days_needs_approval_and_older_ones_do_not_count(shop, agent):
    limits(shop, after_refunds=2)
    resolved_refund(shop, agent, "frequent", days_ago=10)
    resolved_refund(shop, agent, "frequent", days_ago=91)
    buyer = {"name": "王芳", "handle": "frequent"}

    first = propose(understood_refund(shop, agent, customer=buyer), agent, amount="5.00")
    resolved_refund(shop, agent, "frequent", days_ago=1)
    second = propose(understood_refund(shop, agent, customer=buyer), agent, amount="5.00")

    assert first.state == State.PROPOSED
    assert second.state == State.AWAITING_APPROVAL


def test_a_remedy_without_money_never_needs_approval(shop, agent):
    limits(shop, above="0")
    case = walk(open_case(shop, by=agent, kind=Kind.NON_DELIVERY), agent, *UNDERSTOOD)

    case = step(case, "propose", agent, remedy="reship")

    assert case.state == State.PROPOSED


def test_the_timeline_says_why_the_refund_waits(shop, agent):
    limits(shop, above="50", share="0.25")

    case = propose(understood_refund(shop, agent), agent, amount="100.00")

    event = TimelineEvent.objects.filter(case=case, type="propose").get()
    assert event.to_state == State.AWAITING_APPROVAL
    assert [r["rule"] for r in event.data[NEEDS_APPROVAL]] == ["above", "share"]
    assert reasons_text(event.data[NEEDS_APPROVAL]) == (
        "The refund of ¥100.00 is above the shop's limit of ¥50.00. The refund is 78 % of the "
        "paid amount, above the shop's limit of 25 %.")


def test_a_supervisor_approves_and_the_refund_is_proposed(shop, agent, supervisor):
    limits(shop, above="50")
    case = propose(understood_refund(shop, agent), agent)

    case = step(case, "approve_remedy", supervisor)

    assert case.state == State.PROPOSED
    assert case.chosen_remedy == "partial_refund"
    assert case.remedy_amount == Decimal("100.00")


def test_a_supervisor_declines_with_the_reason_and_the_agent_listens_again(
        shop, agent, supervisor, django_capture_on_commit_callbacks):
    limits(shop, above="50")
    case = propose(understood_refund(shop, agent), agent)

    case = step(case, "decline_remedy", supervisor, reason="Offer an exchange first.")

    assert case.state == State.UNDERSTOOD
    assert case.chosen_remedy == ""
    event = TimelineEvent.objects.filter(case=case, type="decline_remedy").get()
    assert event.data["reason"] == "Offer an exchange first."
    told = Reminder.objects.get(case=case, kind=ReminderKind.REMEDY_DECLINED)
    assert told.audience == "assignee"
    assert told.data["reason"] == "Offer an exchange first."


def test_the_supervisors_are_told_when_a_refund_awaits_them(shop, agent, supervisor):
    limits(shop, above="50")

    case = propose(understood_refund(shop, agent), agent)

    asked = Reminder.objects.get(case=case, kind=ReminderKind.APPROVAL_ASKED)
    assert asked.audience == "supervisors"


@pytest.mark.parametrize("decision", ["approve_remedy", "decline_remedy"])
def test_an_agent_may_not_decide_on_their_own_refund(shop, agent, decision, before):
    limits(shop, above="50")
    case = propose(understood_refund(shop, agent), agent)
    unchanged = before()

    with pytest.raises(NotAllowed):
        step(case, decision, agent, reason="I agree with myself.")

    assert unchanged()


def test_a_supervisor_of_another_shop_may_not_approve(shop, agent, other_shop):
    from tests.factories import UserFactory

    stranger = UserFactory(username="supervisor9", role="supervisor", shops=[other_shop])
    limits(shop, above="50")
    case = propose(understood_refund(shop, agent), agent)

    with pytest.raises(services.transitions.NotFound):
        step(case, "approve_remedy", stranger)


def test_what_a_supervisor_proposes_needs_no_one_else(shop, agent, supervisor):
    limits(shop, above="0")
    case = understood_refund(shop, agent)

    case = propose(case, supervisor)

    assert case.state == State.PROPOSED


def test_the_shops_clock_keeps_running_while_awaiting_approval(shop, agent):
    limits(shop, above="50")
    case = understood_refund(shop, agent)
    due = case.resolution_due_at

    case = propose(case, agent)

    assert case.clock_paused_at is None
    assert case.resolution_due_at == due
    assert case.next_due_at is not None


def test_a_review_refund_above_the_limit_waits_and_approval_makes_it(shop, agent, supervisor):
    from tests.reviews.factories import open_review_case

    limits(shop, above="10")
    case = walk(open_review_case(shop, agent), agent, "calm", "listen")

    case = step(case, "remedy", agent, remedy="partial_refund", amount="20.00")
    assert case.state == State.AWAITING_APPROVAL
    case = step(case, "approve_remedy", supervisor)

    assert case.state == State.REMEDIED
