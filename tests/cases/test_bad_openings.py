"""Opening a case with bad data: 400 naming the field, never a half-written case."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cases.bad_requests import CASES, raw
from tests.factories import UserFactory, case_payload

# --- opening a case -----------------------------------------------------------------------------------

def without(payload: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k not in keys}


def with_order(shop: Any, **order: Any) -> dict[str, Any]:
    payload = case_payload(shop)
    payload["order"] = {**payload["order"], **order}
    return payload


BAD_NEW_CASES: list[Any] = [
    pytest.param(lambda s: {}, {"kind", "shop"}, id="nothing"),
    pytest.param(lambda s: without(case_payload(s), "kind"), {"kind"}, id="no-kind"),
    pytest.param(lambda s: without(case_payload(s), "shop"), {"shop"}, id="no-shop"),
    pytest.param(lambda s: case_payload(s, kind=""), {"kind"}, id="blank-kind"),
    pytest.param(lambda s: case_payload(s, kind="review"), {"kind"}, id="unknown-kind"),
    pytest.param(lambda s: case_payload(s, kind=None), {"kind"}, id="null-kind"),
    pytest.param(lambda s: {**case_payload(s), "shop": ""}, {"shop"}, id="blank-shop"),
    pytest.param(lambda s: {**case_payload(s), "shop": "nowhere"}, {"shop"}, id="unknown-shop"),
    pytest.param(lambda s: {**case_payload(s), "shop": ["demo"]}, {"shop"}, id="shop-as-list"),
    pytest.param(lambda s: without(case_payload(s), "order"), {"order"}, id="refund-without-order"),
    pytest.param(lambda s: case_payload(s, order="TB123"), {"order"}, id="order-as-text"),
    pytest.param(lambda s: case_payload(s, order={}), {"order"}, id="empty-order"),
    pytest.param(lambda s: with_order(s, number=""), {"order"}, id="blank-order-number"),
    pytest.param(lambda s: with_order(s, paid_amount="abc"), {"order"}, id="paid-abc"),
    pytest.param(lambda s: with_order(s, paid_amount="-1.00"), {"order"}, id="paid-negative"),
    pytest.param(lambda s: with_order(s, paid_amount="1e309"), {"order"}, id="paid-1e309"),
    pytest.param(lambda s: with_order(s, paid_amount=10**20), {"order"}, id="paid-10e20"),
    pytest.param(lambda s: with_order(s, paid_amount="12.345"), {"order"}, id="paid-3-decimals"),
    pytest.param(lambda s: with_order(s, paid_amount="NaN"), {"order"}, id="paid-nan"),
    pytest.param(lambda s: with_order(s, paid_amount="Infinity"), {"order"}, id="paid-infinity"),
    pytest.param(lambda s: with_order(s, paid_amount=True), {"order"}, id="paid-true"),
    pytest.param(lambda s: with_order(s, paid_amount=""), {"order"}, id="paid-blank"),
    pytest.param(lambda s: with_order(s, currency="yuan"), {"order"}, id="bad-currency"),
    pytest.param(lambda s: case_payload(s, claimed_amount="abc"), {"claimed_amount"}, id="claim-abc"),
    pytest.param(lambda s: case_payload(s, claimed_amount="0.00"), {"claimed_amount"}, id="claim-0"),
    pytest.param(lambda s: case_payload(s, claimed_amount="-3"), {"claimed_amount"},
                 id="claim-negative"),
    pytest.param(lambda s: case_payload(s, claimed_amount="128.01"), {"claimed_amount"},
                 id="claim-above-paid"),
    pytest.param(lambda s: case_payload(s, claimed_amount=10**20), {"claimed_amount"},
                 id="claim-10e20"),
    pytest.param(lambda s: case_payload(s, claimed_amount="1.001"), {"claimed_amount"},
                 id="claim-3-decimals"),
    pytest.param(lambda s: case_payload(s, customer={"handle": ""}), {"customer"},
                 id="blank-buyer-handle"),
    pytest.param(lambda s: case_payload(s, customer={"handle": "b", "phone": "call me"}),
                 {"customer"}, id="bad-phone"),
    pytest.param(lambda s: case_payload(s, external_id="X" * 101), {"external_id"},
                 id="external-id-too-long"),
    pytest.param(lambda s: case_payload(s, description="长" * 4001), {"description"},
                 id="description-too-long"),
    pytest.param(lambda s: case_payload(s, assignee="nobody"), {"assignee"}, id="unknown-assignee"),
    pytest.param(lambda s: case_payload(s, assignee="outsider"), {"assignee"},
                 id="assignee-of-another-shop"),
]


@pytest.mark.parametrize(("make_payload", "fields"), BAD_NEW_CASES)
def test_a_bad_new_case_is_answered_400_naming_the_wrong_fields(
    api, shop, supervisor, outsider, before, make_payload, fields
):
    unchanged = before()

    response = api(supervisor).post(CASES, make_payload(shop), format="json")

    assert response.status_code == 400, response.json()
    assert response.json()["detail"] == "The data sent is not valid."
    assert set(response.json()["errors"]) == fields
    assert unchanged()


def test_an_amount_too_big_for_json_numbers_is_answered_400(api, shop, agent, before):
    unchanged = before()
    body = json.dumps(case_payload(shop)).replace('"claimed_amount": "128.00"',
                                                  '"claimed_amount": 1e309')
    assert "1e309" in body

    response = raw(api(agent), CASES, body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["claimed_amount"]
    assert unchanged()


def test_the_reasons_say_what_is_wrong_with_each_field(api, shop, agent):
    response = api(agent).post(CASES, case_payload(
        shop, kind="review", claimed_amount="1.001", external_id="X" * 101), format="json")

    errors = response.json()["errors"]
    assert errors["kind"] == ['"review" is not a valid choice.']
    assert errors["claimed_amount"] == ["Ensure that there are no more than 2 decimal places."]
    assert errors["external_id"] == ["Ensure this field has no more than 100 characters."]


def test_an_unknown_shop_is_named_in_the_reason(api, shop, agent):
    response = api(agent).post(CASES, {**case_payload(shop), "shop": "nowhere"}, format="json")

    assert response.json()["errors"] == {"shop": ["Object with code=nowhere does not exist."]}


def test_a_claim_above_the_paid_amount_is_refused_with_the_paid_amount(api, shop, agent, before):
    unchanged = before()

    response = api(agent).post(CASES, case_payload(shop, claimed_amount="128.01"), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "claimed_amount": ["The buyer cannot claim more than was paid (128.00)."]}
    assert unchanged()


def test_an_order_on_record_with_another_paid_amount_is_refused_and_nothing_is_kept(
    api, shop, agent, before
):
    # given the order on record with 128.00 paid
    first = case_payload(shop, external_id="A-1")
    api(agent).post(CASES, first, format="json")
    unchanged = before()

    # when another case names the same order with another amount, and a new buyer
    second = case_payload(shop, external_id="A-2", customer={"handle": "someone_new"},
                          claimed_amount="50.00")
    second["order"] = {**first["order"], "paid_amount": "99.00"}
    response = api(agent).post(CASES, second, format="json")

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {"order": [
        f"Order {first['order']['number']} is on record with 128.00 CNY paid; send the same."]}
    assert unchanged()  # not even the new buyer


def test_an_agent_may_not_name_the_assignee_of_a_new_case(api, shop, agent, teammate, before):
    unchanged = before()

    response = api(agent).post(CASES, case_payload(shop, assignee=teammate.username),
                               format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only a supervisor names the assignee of a new case."}
    assert unchanged()


def test_nobody_opens_a_case_in_a_shop_they_do_not_work_for(api, shop, outsider, before):
    unchanged = before()

    response = api(outsider).post(CASES, case_payload(shop), format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "You are not on the staff of shop demo."}
    assert unchanged()


def test_a_user_without_a_role_opens_no_case_even_in_their_shop(api, shop, before):
    member = UserFactory(username="intern", shops=[shop])
    unchanged = before()

    response = api(member).post(CASES, case_payload(shop), format="json")

    assert response.status_code == 403
    assert unchanged()
