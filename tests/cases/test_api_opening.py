"""The cases API: opening a case (201, or 200 with the case a marketplace id already opened)."""

from __future__ import annotations

from datetime import timedelta

from cases.models import Case, Customer, Kind, Order, TimelineEvent
from tests.cases.cases_api import CASES, at
from tests.factories import case_payload

# --- opening a case ---------------------------------------------------------------------------------


def test_a_case_opened_through_the_api_answers_201_with_the_new_case(api, shop, agent):
    payload = case_payload(shop, external_id="TB-REFUND-1")

    response = api(agent).post(CASES, payload, format="json")

    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get()
    assert body["id"] == case.pk
    assert (body["kind"], body["state"], body["shop"], body["external_id"]) == (
        "refund", "new", "demo", "TB-REFUND-1")
    assert body["assignee"] is None
    assert body["order"] == {"number": payload["order"]["number"], "paid_amount": "128.00",
                             "currency": "CNY", "placed_at": None, "items": [], "carrier": "",
                             "tracking_number": ""}
    assert body["customer"]["handle"] == payload["customer"]["handle"]
    assert [(e["type"], e["actor"], e["to_state"]) for e in body["timeline"]] == [
        ("case_opened", "agent1", "new")]
    assert body["available_transitions"] == ["acknowledge", "escalate", "withdraw"]


def test_a_new_case_gets_the_deadlines_of_its_kind(api, shop, agent):
    response = api(agent).post(CASES, case_payload(shop, Kind.NON_DELIVERY), format="json")

    body = response.json()
    opened = at(body["opened_at"])
    deadlines = body["deadlines"]
    assert at(deadlines["first_response_due_at"]) - opened == timedelta(hours=36)
    assert at(deadlines["resolution_due_at"]) - opened == timedelta(days=5)
    assert (deadlines["first_responded_at"], deadlines["resolved_at"], deadlines["closed_at"]) == (
        None, None, None)


def test_the_same_marketplace_case_sent_again_returns_the_case_already_open(api, shop, agent):
    # given
    payload = case_payload(shop, external_id="TB-REFUND-7")
    first = api(agent).post(CASES, payload, format="json")

    # when the marketplace sends it again, with a changed description
    again = api(agent).post(CASES, {**payload, "description": "Sent twice."}, format="json")

    # then the case already open is the answer, unchanged
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["description"] == payload["description"]
    assert Case.objects.count() == 1
    assert TimelineEvent.objects.count() == 1


def test_the_same_marketplace_id_in_another_shop_is_another_case(api, shop, other_shop, admin):
    first = api(admin).post(CASES, case_payload(shop, external_id="X-1"), format="json")
    second = api(admin).post(CASES, case_payload(other_shop, external_id="X-1"), format="json")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


def test_cases_without_a_marketplace_id_are_never_merged(api, shop, agent):
    payload = case_payload(shop, external_id="")
    payload["order"]["number"] = "TB-SAME"

    first = api(agent).post(CASES, payload, format="json")
    second = api(agent).post(CASES, payload, format="json")

    assert (first.status_code, second.status_code) == (201, 201)
    assert Case.objects.count() == 2
    assert Order.objects.count() == 1  # the same order, on record once


def test_a_buyer_known_by_handle_is_the_same_buyer_in_the_next_case_which_keeps_its_own_phone(
    api, shop, agent
):
    buyer = {"handle": "tb_wangfang", "name": "王芳", "phone": "13800138000"}

    api(agent).post(CASES, case_payload(shop, customer=buyer), format="json")
    api(agent).post(CASES, case_payload(shop, customer={**buyer, "phone": "13900139000"}),
                    format="json")

    assert Customer.objects.count() == 1
    assert Customer.objects.get().phone == "13800138000"  # the record changes only explicitly
    assert sorted(Case.objects.filter(customer__handle="tb_wangfang")
                  .values_list("buyer_phone", flat=True)) == ["13800138000", "13900139000"]


def test_a_supervisor_may_name_the_assignee_of_a_new_case(api, shop, agent, supervisor):
    response = api(supervisor).post(CASES, case_payload(shop, assignee=agent.username),
                                    format="json")

    assert response.status_code == 201
    assert response.json()["assignee"] == "agent1"
    assert Case.objects.get().assignee == agent
