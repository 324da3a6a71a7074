"""Calm and listen before any remedy; a hand-over makes the new agent do both again."""

from __future__ import annotations

import pytest

from cases import services
from cases.models import Case, Kind
from config.service_errors import Conflict
from tests.cases.workflow_table import (
    S,
    case_in,
    transition_url,
)
from tests.factories import (
    PROPOSAL_BY_KIND,
    open_case,
    step,
    walk,
)
from tests.snapshots import snapshot

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
    assert response.json() == {"detail": "Only a supervisor of the shop may do this: Hand over."}
    assert snapshot() == before
