"""The approval rule holds on every road into the product: the API, the pages, the admin, bulk
actions, marketplace webhooks and the demo. No road proposes a refund past the shop's limits
without a supervisor, and no agent approves one."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client

from cases import services
from cases.models import Case, State, TimelineEvent
from tests.cases.test_admin import INLINES, buttons, change_url, form_url
from tests.factories import UserFactory, open_case, walk

UNDERSTOOD = ("acknowledge", "calm", "listen")
REFUND = {"remedy": "partial_refund", "amount": "100.00"}


@pytest.fixture
def shop(shop):
    shop.refund_approval_above = Decimal("50.00")
    shop.save()
    return shop


@pytest.fixture
def understood(shop, agent):
    return walk(open_case(shop, by=agent), agent, *UNDERSTOOD)


@pytest.fixture
def awaiting(understood, agent):
    return services.run_transition(case_id=understood.pk, name="propose", by=agent, data=REFUND)


def state_of(case):
    return Case.objects.get(pk=case.pk).state


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- API -------------------------------------------------------------------------------------------


def test_the_api_proposes_a_refund_past_the_limit_into_awaiting_approval(api, agent, understood):
    response = api(agent).post(f"/api/v1/cases/{understood.pk}/transitions/propose/", REFUND,
                               format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "awaiting_approval"


@pytest.mark.parametrize("decision", ["approve_remedy", "decline_remedy"])
def test_the_api_refuses_an_agent_approving_their_own_refund_with_403(api, agent, awaiting,
                                                                       decision, before):
    unchanged = before()

    response = api(agent).post(f"/api/v1/cases/{awaiting.pk}/transitions/{decision}/",
                               {"reason": "fine by me"}, format="json")

    assert response.status_code == 403
    assert "supervisor" in response.json()["detail"]
    assert unchanged()


def test_the_api_refuses_another_agent_approving_with_403(api, teammate, awaiting):
    response = api(teammate).post(f"/api/v1/cases/{awaiting.pk}/transitions/approve_remedy/",
                                  {}, format="json")

    assert response.status_code == 403
    assert state_of(awaiting) == State.AWAITING_APPROVAL


def test_the_api_lets_the_shops_supervisor_approve(api, supervisor, awaiting):
    response = api(supervisor).post(f"/api/v1/cases/{awaiting.pk}/transitions/approve_remedy/",
                                    {}, format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "proposed"


def test_the_api_needs_a_reason_to_decline(api, supervisor, awaiting, before):
    unchanged = before()

    response = api(supervisor).post(f"/api/v1/cases/{awaiting.pk}/transitions/decline_remedy/",
                                    {}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert unchanged()


# --- pages -----------------------------------------------------------------------------------------


def test_the_case_page_proposes_into_awaiting_approval_and_offers_the_agent_no_approval(
        agent, understood):
    client = browser(agent)

    client.post(f"/cases/{understood.pk}/transitions/propose/",
                {"propose-remedy": "partial_refund", "propose-amount": "100.00"})
    page = client.get(f"/cases/{understood.pk}/").content.decode()

    assert state_of(understood) == State.AWAITING_APPROVAL
    assert "/transitions/approve_remedy/" not in page
    assert "above the shop&#x27;s limit of ¥50.00" in page or "above the shop's limit" in page


def test_a_forged_approval_post_from_an_agents_page_changes_nothing(agent, awaiting, before):
    unchanged = before()

    browser(agent).post(f"/cases/{awaiting.pk}/transitions/approve_remedy/", {})

    assert unchanged()


def test_the_case_page_offers_the_supervisor_approve_and_decline(supervisor, awaiting):
    client = browser(supervisor)

    page = client.get(f"/cases/{awaiting.pk}/").content.decode()
    client.post(f"/cases/{awaiting.pk}/transitions/decline_remedy/",
                {"decline_remedy-reason": "Offer an exchange first."})

    assert "/transitions/approve_remedy/" in page
    assert "/transitions/decline_remedy/" in page
    assert state_of(awaiting) == State.UNDERSTOOD


# --- admin -----------------------------------------------------------------------------------------


def test_the_admin_proposes_into_awaiting_approval(client, shop, agent, understood):
    staff = UserFactory(username="staff-agent", role="agent", shops=[shop], is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="cases", codename__in=["view_case", "change_case"]))
    Case.objects.filter(pk=understood.pk).update(assignee=staff)
    client.force_login(staff)

    client.post(form_url(understood, "propose"), REFUND)
    response = client.get(change_url(understood))

    assert state_of(understood) == State.AWAITING_APPROVAL
    assert "approve_remedy" not in buttons(response)
    client.post(change_url(understood), {**INLINES, "_fsm_transition_to": "approve_remedy"})
    client.post(form_url(understood, "approve_remedy"), {"note": ""})
    assert state_of(understood) == State.AWAITING_APPROVAL


def test_the_admin_lets_the_supervisor_approve(client, supervisor, awaiting):
    from django.contrib.auth.models import Permission

    supervisor.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="cases", codename__in=["view_case", "change_case"]))
    client.force_login(supervisor)

    assert "approve_remedy" in buttons(client.get(change_url(awaiting)))
    client.post(form_url(awaiting, "approve_remedy"), {"note": ""})

    assert state_of(awaiting) == State.PROPOSED


# --- bulk ------------------------------------------------------------------------------------------


def test_a_bulk_approval_approves_the_supervisors_cases_and_refuses_the_rest(
        shop, agent, supervisor, awaiting, understood):
    other = walk(open_case(shop, by=agent), agent, *UNDERSTOOD)

    results = services.run_bulk(by=supervisor, action="approve_remedy",
                                ids=[awaiting.pk, other.pk, 999999])

    assert [r.as_dict()["status"] for r in results] == ["done", "refused", "refused"]
    assert [r.code for r in results] == ["", "conflict", "not_found"]
    assert state_of(awaiting) == State.PROPOSED


def test_a_bulk_decline_needs_a_reason_and_keeps_it(shop, supervisor, awaiting):
    from config.service_errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.run_bulk(by=supervisor, action="decline_remedy", ids=[awaiting.pk])
    services.run_bulk(by=supervisor, action="decline_remedy", ids=[awaiting.pk],
                      data={"reason": "Too much for a scratch."})

    assert state_of(awaiting) == State.UNDERSTOOD
    assert TimelineEvent.objects.get(case=awaiting, type="decline_remedy").data["reason"] == (
        "Too much for a scratch.")


def test_agents_have_no_bulk_approval(api, agent, awaiting):
    response = api(agent).post("/api/v1/cases/bulk/", {"action": "approve_remedy",
                                                         "ids": [awaiting.pk]}, format="json")

    assert response.status_code == 403
    assert state_of(awaiting) == State.AWAITING_APPROVAL


def test_a_supervisor_of_another_shop_approves_nothing_in_bulk(other_shop, awaiting):
    stranger = UserFactory(username="supervisor9", role="supervisor", shops=[other_shop])

    results = services.run_bulk(by=stranger, action="approve_remedy", ids=[awaiting.pk])

    assert results[0].code == "not_found"
    assert state_of(awaiting) == State.AWAITING_APPROVAL


# --- webhooks --------------------------------------------------------------------------------------


def test_the_marketplace_escalating_a_waiting_refund_does_not_approve_it(shop, agent, awaiting):
    from tests.integrations.test_webhooks import SECRET, event, post

    shop.webhook_secret = SECRET
    shop.save()
    Case.objects.filter(pk=awaiting.pk).update(external_id="TB-APPROVE")

    post(event("case.updated", {"external_id": "TB-APPROVE", "change": "platform_escalated"},
               created=datetime.now(UTC)))
    case = services.run_transition(case_id=awaiting.pk, name="propose", by=agent, data=REFUND)

    assert TimelineEvent.objects.filter(case=awaiting, type="escalate").exists()
    assert case.state == State.AWAITING_APPROVAL


def test_a_webhook_cannot_approve_anything(shop, awaiting):
    from tests.integrations.test_webhooks import SECRET, event, post

    shop.webhook_secret = SECRET
    shop.save()
    Case.objects.filter(pk=awaiting.pk).update(external_id="TB-APPROVE")

    response = post(event("case.updated", {"external_id": "TB-APPROVE",
                                            "change": "approve_remedy"}))

    assert response.status_code == 400
    assert state_of(awaiting) == State.AWAITING_APPROVAL


# --- demo ------------------------------------------------------------------------------------------


def test_the_demo_proposes_past_its_limit_through_the_same_rule(db):
    from django.utils import timezone

    from demo.approvals import ensure_approval_cases
    from demo.building import ensure_staff

    ensure_staff()

    made = {case.external_id: case for case in ensure_approval_cases(timezone.now())}

    waiting, approved = made["APPROVE-0001"], made["APPROVE-0002"]
    assert waiting.state == State.AWAITING_APPROVAL
    asked = TimelineEvent.objects.get(case=waiting, type="propose")
    assert asked.data["needs_approval"][0]["rule"] == "above"
    assert approved.state == State.PROPOSED
    assert TimelineEvent.objects.get(case=approved, type="approve_remedy").actor.username == (
        "supervisor1")
