"""Reject, withdraw, close (the buyer reached after the resolution, the shop speaking last), and
reopen within the shop's window."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, ClosedAs
from config.service_errors import Conflict
from tests.cases.workflow_table import (
    S,
    case_in,
    fails,
    transition_url,
)
from tests.factories import (
    STEP_DATA,
    TO_RESOLVED,
    ShopFactory,
    UserFactory,
    open_case,
    reach_buyer,
    step,
    walk,
)
from tests.snapshots import snapshot

# --- reject, withdraw ----------------------------------------------------------------------------------


def test_a_rejected_proposal_goes_back_to_understood_without_its_remedy(shop, agent):
    case = case_in(S.PROPOSED, shop, agent)
    assert (case.chosen_remedy, case.remedy_amount) == ("partial_refund", Decimal("30.00"))

    case = step(case, "reject", agent)

    case.refresh_from_db()
    assert case.state == S.UNDERSTOOD
    assert (case.chosen_remedy, case.remedy_amount) == ("", None)
    # the buyer was heard: another proposal needs no second calm step
    assert step(case, "propose", agent, remedy="full_refund", amount=None).state == S.PROPOSED


@pytest.mark.parametrize("source", [S.NEW, S.ACKNOWLEDGED, S.CALMED, S.UNDERSTOOD, S.PROPOSED,
                                    S.ESCALATED])
def test_a_buyer_may_withdraw_from_any_open_state_before_the_resolution(shop, agent, source):
    case = case_in(source, shop, agent)

    case = step(case, "withdraw", agent)

    case.refresh_from_db()
    assert case.state == S.CLOSED
    assert case.closed_as == ClosedAs.WITHDRAWN
    assert case.closed_at is not None


def test_a_resolved_case_cannot_be_withdrawn(shop, agent):
    case = case_in(S.RESOLVED, shop, agent)

    conflict = fails(Conflict, case, "withdraw", agent)

    assert conflict.state == S.RESOLVED


# --- close: the buyer reached after the resolution, the shop speaking last ----------------------------


def contact(case: Case, by: Any, **data: Any) -> None:
    services.log_contact(case_id=case.pk, by=by, data=data)


CALL_REACHED = {"channel": "call", "direction": "outbound", "outcome": "reached"}
CALL_NO_ANSWER = {"channel": "call", "direction": "outbound", "outcome": "no_answer"}
BUYER_WRITES = {"channel": "chat", "direction": "inbound", "body": "收到了，谢谢。"}
SHOP_WRITES = {"channel": "chat", "direction": "outbound", "body": "不客气，祝您生活愉快！"}


def test_a_resolved_case_closes_once_the_buyer_was_reached_and_records_when(shop, agent):
    case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
    contact(case, agent, **CALL_REACHED)

    case = step(case, "close", agent)

    case.refresh_from_db()
    assert case.state == S.CLOSED
    assert case.closed_as == ClosedAs.RESOLVED
    assert case.closed_at >= case.resolved_at


@pytest.mark.parametrize(("contacts", "closes"), [
    pytest.param([], False, id="nobody-reached-the-buyer"),
    pytest.param([CALL_NO_ANSWER], False, id="the-call-was-not-answered"),
    pytest.param([CALL_NO_ANSWER, CALL_NO_ANSWER], False, id="two-unanswered-calls"),
    pytest.param([CALL_REACHED, BUYER_WRITES], False, id="the-buyer-spoke-last"),
    pytest.param([BUYER_WRITES], False, id="the-buyer-wrote-and-nobody-answered"),
    pytest.param([CALL_REACHED], True, id="a-call-reached-the-buyer"),
    pytest.param([BUYER_WRITES, SHOP_WRITES], True, id="the-buyer-wrote-and-the-shop-answered"),
    pytest.param([BUYER_WRITES, CALL_NO_ANSWER], True, id="the-buyer-wrote-the-shop-called-last"),
    pytest.param([CALL_REACHED, BUYER_WRITES, SHOP_WRITES], True, id="the-shop-spoke-last-again"),
])
def test_a_case_closes_only_when_the_buyer_was_reached_and_the_shop_spoke_last(
    api, shop, agent, contacts, closes
):
    # given a resolved case and the contacts after the resolution
    case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
    for data in contacts:
        contact(case, agent, **data)
    before = snapshot()

    # when
    response = api(agent).post(transition_url(case, "close"), {}, format="json")

    # then
    if closes:
        assert response.status_code == 200, response.json()
        assert Case.objects.get(pk=case.pk).state == S.CLOSED
    else:
        assert response.status_code == 409
        assert response.json()["state"] == S.RESOLVED
        assert "Reach the buyer after the resolution" in response.json()["detail"]
        assert snapshot() == before


def test_contacts_before_the_resolution_do_not_count_for_closing(shop, agent):
    # given the buyer was reached while the case was still proposed
    case = case_in(S.PROPOSED, shop, agent)
    contact(case, agent, **CALL_REACHED)
    case = step(case, "accept", agent)

    # when / then
    conflict = fails(Conflict, case, "close", agent)
    assert conflict.state == S.RESOLVED


def test_a_reopened_case_needs_a_new_follow_up_after_its_new_resolution(shop, agent):
    # given a case closed after a follow-up call, then reopened and resolved again
    case = case_in(S.RESOLVED, shop, agent)
    case = walk(case, agent, "close", "reopen", "calm", "listen", "propose", "accept")

    # then the first follow-up call does not close it again
    fails(Conflict, case, "close", agent)
    reach_buyer(case, agent)
    assert step(case, "close", agent).state == S.CLOSED


# --- reopen within the shop's window ------------------------------------------------------------------


def closed_days_ago(case: Case, days: float) -> None:
    """Time passes: the case was closed `days` ago (no freezegun: the row is moved back)."""
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days))


def test_a_case_reopens_within_the_reopen_window_and_starts_a_new_cycle(shop, agent):
    # given a case closed 14 days ago in a shop with the default 15-day window
    case = walk(case_in(S.RESOLVED, shop, agent), agent, "close")
    closed_days_ago(case, 14)

    # when
    case = step(case, "reopen", agent)

    # then
    case.refresh_from_db()
    assert case.state == S.ACKNOWLEDGED
    assert (case.closed_at, case.closed_as, case.resolved_at) == (None, "", None)
    assert (case.calmed_at, case.core_problem, case.chosen_remedy, case.remedy_amount) == (None, "", "", None)


def test_a_case_closed_longer_ago_than_the_reopen_window_stays_closed(api, shop, agent):
    # given
    case = walk(case_in(S.RESOLVED, shop, agent), agent, "close")
    closed_days_ago(case, 16)
    before = snapshot()

    # when
    response = api(agent).post(transition_url(case, "reopen"), STEP_DATA["reopen"], format="json")

    # then
    assert response.status_code == 409
    assert response.json() == {
        "detail": "The reopen window of this shop has passed; open a new case instead.",
        "state": S.CLOSED,
    }
    assert snapshot() == before


@pytest.mark.parametrize(("days_ago", "reopens"), [(2.9, True), (3.1, False)])
def test_the_reopen_window_is_the_shops_own(agent, days_ago, reopens):
    # given a shop that allows reopening for 3 days only
    quick = ShopFactory(code="quick", reopen_window_days=3)
    worker = UserFactory(username="quick-agent", role="agent", shops=[quick])
    case = walk(open_case(quick, by=worker), worker, "acknowledge", "withdraw")
    closed_days_ago(case, days_ago)

    # when / then
    if reopens:
        assert step(case, "reopen", worker).state == S.ACKNOWLEDGED
    else:
        assert fails(Conflict, case, "reopen", worker).state == S.CLOSED


def test_a_withdrawn_case_may_be_reopened_within_the_window(shop, agent):
    case = case_in(S.CLOSED, shop, agent)

    case = step(case, "reopen", agent)

    assert case.state == S.ACKNOWLEDGED and case.closed_as == ""
