"""The dispute workflow: every transition from every state, its guards, its data and its timeline."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.errors import Conflict, InvalidInput, NotAllowed
from cases.models import AppendOnlyError, Case, ClosedAs, Evidence, Kind, State, TimelineEvent
from tests.factories import (
    PROPOSAL_BY_KIND,
    STEP_DATA,
    TO_RESOLVED,
    ShopFactory,
    UserFactory,
    case_payload,
    open_case,
    reach_buyer,
    step,
    walk,
)
from tests.snapshots import snapshot

S = State

# The workflow as the issue describes it: transition → {source state: target state}.
WORKFLOW: dict[str, dict[str, str]] = {
    "acknowledge": {S.NEW: S.ACKNOWLEDGED},
    "calm": {S.ACKNOWLEDGED: S.CALMED},
    "listen": {S.CALMED: S.UNDERSTOOD},
    "propose": {S.UNDERSTOOD: S.PROPOSED, S.ESCALATED: S.PROPOSED},
    "accept": {S.PROPOSED: S.RESOLVED},
    "reject": {S.PROPOSED: S.UNDERSTOOD},
    "escalate": {s: S.ESCALATED for s in (S.NEW, S.ACKNOWLEDGED, S.CALMED, S.UNDERSTOOD, S.PROPOSED)},
    "hand_over": {
        s: S.ACKNOWLEDGED for s in (S.ACKNOWLEDGED, S.CALMED, S.UNDERSTOOD, S.PROPOSED, S.ESCALATED)
    },
    "close": {S.RESOLVED: S.CLOSED},
    "withdraw": {
        s: S.CLOSED
        for s in (S.NEW, S.ACKNOWLEDGED, S.CALMED, S.UNDERSTOOD, S.PROPOSED, S.ESCALATED)
    },
    "reopen": {S.CLOSED: S.ACKNOWLEDGED},
}

# How a case reaches each state (the buyer heard, so no guard gets in the way of the table).
PATHS: dict[str, tuple[str, ...]] = {
    S.NEW: (),
    S.ACKNOWLEDGED: ("acknowledge",),
    S.CALMED: ("acknowledge", "calm"),
    S.UNDERSTOOD: ("acknowledge", "calm", "listen"),
    S.PROPOSED: ("acknowledge", "calm", "listen", "propose"),
    S.RESOLVED: TO_RESOLVED,
    S.CLOSED: ("acknowledge", "withdraw"),
    S.ESCALATED: ("acknowledge", "calm", "listen", "escalate"),
}

ALLOWED = [(name, source) for name, moves in WORKFLOW.items() for source in moves]
# The dispute workflow's states (the review workflow's own states are never a dispute's).
DISPUTE_STATES = [S.NEW, S.ACKNOWLEDGED, S.CALMED, S.UNDERSTOOD, S.PROPOSED, S.RESOLVED,
                  S.CLOSED, S.ESCALATED]
REFUSED = [(name, source) for name, moves in WORKFLOW.items() for source in DISPUTE_STATES
           if source not in moves]


def case_in(state: str, shop: Any, agent: Any, kind: str = Kind.REFUND) -> Case:
    """A case of the agent's in `state`; a resolved case has had its follow-up call."""
    case = walk(open_case(shop, by=agent, kind=kind), agent, *PATHS[state])
    if state == S.RESOLVED:
        reach_buyer(case, agent)
    return case


def data_for(name: str, case: Case, hand_to: Any) -> dict[str, Any]:
    if name == "propose":
        return dict(PROPOSAL_BY_KIND[case.kind])
    if name == "hand_over":
        return {"to": hand_to.username, "reason": "The buyer and the agent are deadlocked."}
    return dict(STEP_DATA[name])


def transition_url(case: Case, name: str) -> str:
    return f"/api/v1/cases/{case.pk}/transitions/{name}/"


def fails(exc_type: type[Exception], case: Case, name: str, by: Any, **data: Any) -> Any:
    with pytest.raises(exc_type) as error:
        step(case, name, by, **data)
    return error.value


# --- the table: every transition from every state -------------------------------------------------


@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_each_transition_moves_the_case_from_each_of_its_source_states(
    api, shop, agent, teammate, supervisor, name, source
):
    # given
    case = case_in(source, shop, agent)
    events = case.timeline.count()

    # when the supervisor (who may run every transition) runs it
    response = api(supervisor).post(transition_url(case, name), data_for(name, case, teammate),
                                    format="json")

    # then
    target = WORKFLOW[name][source]
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == target
    case.refresh_from_db()
    assert case.state == target
    assert case.timeline.count() == events + 1
    event = case.timeline.order_by("at", "id").last()
    assert (event.type, event.actor, event.from_state, event.to_state) == (
        name, supervisor, source, target)


@pytest.mark.parametrize(("name", "source"), REFUSED)
def test_each_transition_is_refused_from_every_other_state(
    api, shop, agent, teammate, supervisor, name, source
):
    # given
    case = case_in(source, shop, agent)
    before = snapshot()

    # when
    response = api(supervisor).post(transition_url(case, name), data_for(name, case, teammate),
                                    format="json")

    # then
    assert response.status_code == 409
    assert response.json() == {"detail": f"Cannot {name} a case that is {source}.", "state": source}
    assert snapshot() == before


# --- calm and listen before any remedy --------------------------------------------------------------


def test_a_case_escalated_straight_from_new_cannot_be_proposed_until_handed_over_calmed_and_listened(
    api, shop, agent, teammate, supervisor
):
    # given a case nobody calmed or listened to, escalated at once
    case = walk(open_case(shop, by=agent), agent, "escalate")
    before = snapshot()

    # when the supervisor tries to propose a remedy
    refused = api(supervisor).post(transition_url(case, "propose"), PROPOSAL_BY_KIND[Kind.REFUND],
                                   format="json")

    # then the guard says why, and nothing changed
    assert refused.status_code == 409
    assert refused.json()["state"] == S.ESCALATED
    assert "Calm the buyer and record their core problem first" in refused.json()["detail"]
    assert snapshot() == before

    # and after a hand-over the new agent calms, listens, and may propose
    step(case, "hand_over", supervisor, to=teammate.username, reason="Deadlocked.")
    with pytest.raises(Conflict):
        step(case, "propose", teammate)
    case = walk(case, teammate, "calm", "listen", "propose")
    assert case.state == S.PROPOSED


def test_a_case_escalated_after_listening_can_be_proposed_straight_away(shop, agent, supervisor):
    case = case_in(S.ESCALATED, shop, agent)

    case = step(case, "propose", supervisor)

    assert case.state == S.PROPOSED and case.chosen_remedy == "partial_refund"


def test_the_buyer_cannot_accept_a_proposal_without_a_core_problem_on_record(api, shop, agent):
    # given a proposal whose core problem was lost (a row from before the rule, say)
    case = case_in(S.PROPOSED, shop, agent)
    Case.objects.filter(pk=case.pk).update(core_problem="   ")
    before = snapshot()

    # when
    response = api(agent).post(transition_url(case, "accept"), {}, format="json")

    # then
    assert response.status_code == 409
    assert response.json()["state"] == S.PROPOSED
    assert "core problem" in response.json()["detail"]
    assert snapshot() == before


def test_the_buyer_cannot_accept_a_proposal_without_a_calm_step_on_record(api, shop, agent):
    case = case_in(S.PROPOSED, shop, agent)
    Case.objects.filter(pk=case.pk).update(calmed_at=None)

    response = api(agent).post(transition_url(case, "accept"), {}, format="json")

    assert response.status_code == 409
    assert Case.objects.get(pk=case.pk).state == S.PROPOSED


def test_a_proposal_without_a_calm_step_on_record_is_refused(api, shop, agent):
    case = case_in(S.UNDERSTOOD, shop, agent)
    Case.objects.filter(pk=case.pk).update(calmed_at=None)

    response = api(agent).post(transition_url(case, "propose"), PROPOSAL_BY_KIND[Kind.REFUND],
                               format="json")

    assert response.status_code == 409
    assert response.json()["state"] == S.UNDERSTOOD
    assert Case.objects.get(pk=case.pk).chosen_remedy == ""


# --- hand-over ---------------------------------------------------------------------------------------


def test_a_hand_over_gives_the_case_to_the_new_agent_who_must_calm_and_listen_again(
    shop, agent, teammate, supervisor
):
    # given a proposal made by the first agent
    case = case_in(S.PROPOSED, shop, agent)

    # when the supervisor hands it over
    case = step(case, "hand_over", supervisor, to=teammate.username, reason="Deadlocked.")

    # then the new agent has it, and starts from the calm step
    case.refresh_from_db()
    assert case.state == S.ACKNOWLEDGED
    assert case.assignee == teammate
    assert (case.calmed_at, case.core_problem, case.chosen_remedy, case.remedy_amount) == (None, "", "", None)
    event = case.timeline.order_by("at", "id").last()
    assert event.data == {"to": "agent2", "reason": "Deadlocked."}
    assert "propose" not in services.available_transitions(case, teammate)
    with pytest.raises(Conflict):
        step(case, "propose", teammate)
    assert walk(case, teammate, "calm", "listen", "propose", "accept").state == S.RESOLVED


def test_an_agent_cannot_hand_over_a_case(api, shop, agent, teammate):
    case = case_in(S.ACKNOWLEDGED, shop, agent)
    before = snapshot()

    response = api(agent).post(transition_url(case, "hand_over"),
                               {"to": teammate.username, "reason": "Tired of this buyer."},
                               format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only a supervisor of the shop may hand_over."}
    assert snapshot() == before


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


# --- what each kind needs when listening -----------------------------------------------------------


def test_listening_to_a_non_delivery_case_needs_the_tracking_status(api, shop, agent):
    case = case_in(S.CALMED, shop, agent, kind=Kind.NON_DELIVERY)
    before = snapshot()

    response = api(agent).post(transition_url(case, "listen"),
                               {"core_problem": "The parcel never came."}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "tracking_status": ["Check the carrier's tracking first and say what it shows."]}
    assert snapshot() == before


def test_a_tracking_status_outside_the_fixed_list_is_refused(api, shop, agent):
    case = case_in(S.CALMED, shop, agent, kind=Kind.NON_DELIVERY)
    before = snapshot()

    response = api(agent).post(transition_url(case, "listen"),
                               {"core_problem": "The parcel never came.", "tracking_status": "stolen"},
                               format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["tracking_status"]
    assert snapshot() == before


@pytest.mark.parametrize("status", ["in_transit", "lost", "delivered_not_received",
                                    "returned_to_sender", "no_tracking"])
def test_listening_to_a_non_delivery_case_records_the_tracking_status(shop, agent, status):
    case = case_in(S.CALMED, shop, agent, kind=Kind.NON_DELIVERY)

    case = step(case, "listen", agent, tracking_status=status)

    case.refresh_from_db()
    assert (case.state, case.tracking_status) == (S.UNDERSTOOD, status)


@pytest.mark.parametrize("evidence", [
    pytest.param(None, id="no-evidence"),
    pytest.param([], id="an-empty-list"),
    pytest.param([{}], id="an-empty-item"),
    pytest.param([{"photo": "", "description": "  "}], id="blank-fields"),
    pytest.param("IMG_1.jpg", id="not-a-list"),
])
def test_listening_to_a_not_as_described_case_needs_the_buyers_evidence(api, shop, agent, evidence):
    case = case_in(S.CALMED, shop, agent, kind=Kind.NOT_AS_DESCRIBED)
    before = snapshot()
    data: dict[str, Any] = {"core_problem": "The colour is not the one in the listing."}
    if evidence is not None:
        data["evidence"] = evidence

    response = api(agent).post(transition_url(case, "listen"), data, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["evidence"]
    assert snapshot() == before


def test_the_buyers_evidence_is_stored_with_the_case(api, shop, agent):
    case = case_in(S.CALMED, shop, agent, kind=Kind.NOT_AS_DESCRIBED)

    response = api(agent).post(transition_url(case, "listen"), {
        "core_problem": "The colour is not the one in the listing.",
        "evidence": [{"photo": "IMG_2031.jpg"}, {"description": "Red, not the blue in the listing."}],
    }, format="json")

    assert response.status_code == 200
    rows = list(Evidence.objects.filter(case=case).order_by("id")
                .values_list("photo", "description", "added_by"))
    assert rows == [("IMG_2031.jpg", "", agent.pk), ("", "Red, not the blue in the listing.", agent.pk)]
    assert [e["photo"] for e in response.json()["evidence"]] == ["IMG_2031.jpg", ""]


# --- remedies by kind, and the money -------------------------------------------------------------------

REMEDIES = ["full_refund", "partial_refund", "reship", "exchange", "return_and_refund"]
ALLOWED_REMEDIES = {
    Kind.REFUND: {"full_refund", "partial_refund"},
    Kind.NON_DELIVERY: {"reship", "full_refund"},
    Kind.NOT_AS_DESCRIBED: {"exchange", "return_and_refund", "partial_refund"},
}
# The amount recorded for a remedy sent without one (the order's paid amount is 128.00).
AMOUNT_WHEN_OMITTED = {"full_refund": Decimal("128.00"), "return_and_refund": Decimal("128.00"),
                       "reship": None, "exchange": None}


@pytest.mark.parametrize("kind", list(ALLOWED_REMEDIES))
@pytest.mark.parametrize("remedy", REMEDIES)
def test_each_kind_offers_its_own_remedies(shop, agent, kind, remedy):
    case = case_in(S.UNDERSTOOD, shop, agent, kind=kind)
    data = {"remedy": remedy, "amount": "20.00" if remedy == "partial_refund" else None}

    if remedy in ALLOWED_REMEDIES[kind]:
        case = step(case, "propose", agent, **data)
        case.refresh_from_db()
        assert (case.state, case.chosen_remedy) == (S.PROPOSED, remedy)
        assert case.remedy_amount == AMOUNT_WHEN_OMITTED.get(remedy, Decimal("20.00"))
    else:
        error = fails(InvalidInput, case, "propose", agent, **data)
        assert list(error.errors) == ["remedy"]
        assert Case.objects.get(pk=case.pk).state == S.UNDERSTOOD


@pytest.mark.parametrize(("remedy", "amount", "problem"), [
    ("full_refund", "100.00", "A full refund is exactly the paid amount (128.00)"),
    ("full_refund", "128.01", "A refund can never exceed what was paid (128.00)."),
    ("partial_refund", None, "Say how much to refund."),
    ("partial_refund", "128.01", "A refund can never exceed what was paid (128.00)."),
    ("partial_refund", "0", "The amount must be above zero."),
    ("partial_refund", "0.00", "The amount must be above zero."),
    ("partial_refund", "-5.00", "The amount must be above zero."),
    ("partial_refund", "99999999.99", "A refund can never exceed what was paid (128.00)."),
])
def test_a_refund_never_exceeds_the_paid_amount_nor_falls_to_zero(
    api, shop, agent, remedy, amount, problem
):
    case = case_in(S.UNDERSTOOD, shop, agent)
    before = snapshot()
    data = {"remedy": remedy} if amount is None else {"remedy": remedy, "amount": amount}

    response = api(agent).post(transition_url(case, "propose"), data, format="json")

    assert response.status_code == 400
    assert problem in response.json()["errors"]["amount"][0]
    assert snapshot() == before


def test_a_full_refund_is_the_paid_amount_when_none_is_given(shop, agent):
    case = case_in(S.UNDERSTOOD, shop, agent)

    case = step(case, "propose", agent, remedy="full_refund", amount=None)

    assert Case.objects.get(pk=case.pk).remedy_amount == Decimal("128.00")
    assert case.timeline.order_by("at", "id").last().data == {"remedy": "full_refund",
                                                              "amount": "128.00"}


def test_a_partial_refund_may_be_up_to_the_paid_amount(shop, agent):
    case = case_in(S.UNDERSTOOD, shop, agent)

    step(case, "propose", agent, remedy="partial_refund", amount="128.00")

    assert Case.objects.get(pk=case.pk).remedy_amount == Decimal("128.00")


@pytest.mark.parametrize(("kind", "remedy"), [(Kind.NON_DELIVERY, "reship"),
                                              (Kind.NOT_AS_DESCRIBED, "exchange")])
def test_no_amount_goes_with_a_reship_or_an_exchange(shop, agent, kind, remedy):
    case = case_in(S.UNDERSTOOD, shop, agent, kind=kind)

    error = fails(InvalidInput, case, "propose", agent, remedy=remedy, amount="10.00")

    assert error.errors == {"amount": ["No money moves with this remedy."]}
    assert Case.objects.get(pk=case.pk).state == S.UNDERSTOOD


def test_a_refund_on_a_case_without_an_order_is_refused(shop, agent):
    payload = case_payload(shop, Kind.NOT_AS_DESCRIBED)
    del payload["order"], payload["claimed_amount"]
    case, _created = services.open_case(by=agent, data=payload)
    case = walk(case, agent, "acknowledge", "calm", "listen")

    error = fails(InvalidInput, case, "propose", agent, remedy="return_and_refund")

    assert list(error.errors) == ["remedy"]


# --- the timeline ----------------------------------------------------------------------------------


def test_every_transition_writes_one_event_with_its_actor_states_and_data(shop, agent, supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen", "propose")
    case = step(case, "escalate", supervisor)

    events = list(case.timeline.order_by("at", "id")
                  .values_list("type", "actor__username", "from_state", "to_state", "data"))

    assert events == [
        ("case_opened", "agent1", "", "new", {"kind": "refund", "external_id": case.external_id}),
        ("case_claimed", "agent1", "new", "new", {"assignee": "agent1"}),
        ("acknowledge", "agent1", "new", "acknowledged", STEP_DATA["acknowledge"]),
        ("calm", "agent1", "acknowledged", "calmed", STEP_DATA["calm"]),
        ("listen", "agent1", "calmed", "understood", {
            "core_problem": STEP_DATA["listen"]["core_problem"], "tracking_status": "lost",
            "evidence": STEP_DATA["listen"]["evidence"]}),
        ("propose", "agent1", "understood", "proposed", {"remedy": "partial_refund",
                                                        "amount": "30.00"}),
        ("escalate", "supervisor1", "proposed", "escalated", STEP_DATA["escalate"]),
    ]


def test_the_system_escalating_a_case_is_recorded_without_an_actor(shop, agent):
    case = open_case(shop, by=agent)

    step(case, "escalate", None)

    event = case.timeline.order_by("at", "id").last()
    assert (event.type, event.actor, event.from_state, event.to_state) == (
        "escalate", None, "new", "escalated")


@pytest.mark.parametrize(("name", "data", "error"), [
    pytest.param("propose", {}, Conflict, id="refused-by-state"),
    pytest.param("acknowledge", {"message": ""}, InvalidInput, id="bad-data"),
    pytest.param("hand_over", {"to": "agent2", "reason": "x"}, NotAllowed, id="not-allowed"),
])
def test_a_failed_transition_writes_nothing_and_claims_nothing(shop, agent, teammate, name, data,
                                                               error):
    # given an unassigned new case (acting on it would claim it)
    case = open_case(shop, by=agent)
    before = snapshot()

    # when the agent's transition fails
    with pytest.raises(error):
        services.run_transition(case_id=case.pk, name=name, by=agent, data=data)

    # then nothing was written: no event, no claim, no field
    assert snapshot() == before
    assert Case.objects.get(pk=case.pk).assignee is None


def test_timeline_events_cannot_be_changed(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    event = case.timeline.order_by("at", "id").last()

    event.type = "calm"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        TimelineEvent.objects.filter(pk=event.pk).update(type="calm")
    with pytest.raises(AppendOnlyError):
        case.timeline.update(type="calm")
    with pytest.raises(AppendOnlyError), transaction.atomic():
        TimelineEvent.objects.bulk_update([event], ["type"])

    assert TimelineEvent.objects.get(pk=event.pk).type == "acknowledge"


def test_timeline_events_cannot_be_deleted(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    count = case.timeline.count()

    with pytest.raises(AppendOnlyError):
        case.timeline.order_by("at", "id").last().delete()
    with pytest.raises(AppendOnlyError):
        TimelineEvent.objects.filter(case=case).delete()
    with pytest.raises(AppendOnlyError):
        case.timeline.all().delete()

    assert case.timeline.count() == count


def test_a_case_with_a_timeline_cannot_be_deleted(shop, agent):
    from django.db.models import ProtectedError

    case = open_case(shop, by=agent)

    with pytest.raises(ProtectedError):
        case.delete()

    assert Case.objects.filter(pk=case.pk).exists()


def test_acknowledging_records_the_first_response_time(shop, agent):
    case = open_case(shop, by=agent)

    case = step(case, "acknowledge", agent)

    case.refresh_from_db()
    assert case.first_responded_at is not None
    assert case.first_responded_at >= case.opened_at
