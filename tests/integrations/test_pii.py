"""Buyer PII: masked everywhere, revealed only by the assignee or supervisors, and every reveal logged."""

from __future__ import annotations

import logging

import pytest

from cases.models import Customer, PiiReveal, TimelineEvent
from cases.pii import mask_address, mask_phone
from tests.factories import open_case, walk

CASES = "/api/v1/cases/"
PHONE = "13800138000"


ADDRESS = "浙江省杭州市西湖区文三路 100 号 3 单元"
BUYER = {"handle": "tb_wangfang", "name": "王芳", "phone": PHONE, "address": ADDRESS}


@pytest.fixture
def case(shop, agent):
    """A case the agent holds, opened with the buyer's phone and address."""
    return walk(open_case(shop, by=agent, customer=BUYER), agent, "acknowledge")


def reveal(client, case, field="phone"):
    return client.post(f"{CASES}{case.pk}/reveal/", {"field": field}, format="json")


def test_phones_and_addresses_are_masked_like_138_stars_8000():
    assert mask_phone("13800138000") == "138****8000"
    assert mask_address("浙江省杭州市西湖区文三路") == "浙江省杭州市****"
    assert mask_phone("123") == "***"


def test_the_api_shows_the_phone_and_address_masked_even_to_the_assignee(api, case, agent):
    buyer = api(agent).get(f"{CASES}{case.pk}/").json()["customer"]

    assert buyer["phone"] == "138****8000"
    assert buyer["address"] == "浙江省杭州市****"


@pytest.mark.parametrize("who", ["agent", "supervisor", "admin"])
def test_the_assignee_supervisors_and_admins_reveal_and_each_reveal_is_logged(
    api, case, request, who
):
    user = request.getfixturevalue(who)

    response = reveal(api(user), case)

    assert response.status_code == 200
    assert response.json() == {"field": "phone", "value": PHONE}
    logged = PiiReveal.objects.get()
    assert (logged.by, logged.case_id, logged.field) == (user, case.pk, "phone")
    event = TimelineEvent.objects.filter(case=case, type="pii_revealed").get()
    assert event.actor == user and event.data == {"field": "phone"}


def test_the_address_is_revealed_the_same_way(api, case, agent):
    assert reveal(api(agent), case, "address").json()["value"].startswith("浙江省杭州市西湖区")


@pytest.mark.parametrize(("who", "status"), [("teammate", 403), ("outsider", 404)])
def test_others_cannot_reveal_and_nothing_is_logged(api, case, request, who, status):
    # A teammate reads the case (masked) but may not unmask it; to an outsider it does not exist.
    response = reveal(api(request.getfixturevalue(who)), case)

    assert response.status_code == status
    assert PHONE not in response.content.decode()
    assert not PiiReveal.objects.exists()


def test_an_agent_who_may_see_an_unassigned_case_must_take_it_before_revealing(api, shop, agent):
    unassigned = open_case(shop, by=agent)

    response = reveal(api(agent), unassigned)

    assert response.status_code == 403
    assert "agent" in response.json()["detail"]
    assert not PiiReveal.objects.exists()


def test_anonymous_cannot_reveal(api, case):
    assert reveal(api(None), case).status_code == 401


@pytest.mark.parametrize("field", ["name", "", "password", None])
def test_only_phone_or_address_can_be_revealed(api, case, agent, field):
    response = reveal(api(agent), case, field)

    assert response.status_code == 400
    assert "phone or address" in response.json()["errors"]["field"][0]
    assert not PiiReveal.objects.exists()


def test_pii_never_appears_in_str_of_the_buyer_the_case_or_the_logs(case, agent, api, caplog):
    caplog.set_level(logging.DEBUG)
    customer = Customer.objects.get(pk=case.customer_id)

    reveal(api(agent), case)

    texts = [str(customer), str(case), str(PiiReveal.objects.get()), caplog.text]
    assert not any(PHONE in text or "文三路" in text for text in texts)


def test_the_reveal_service_hides_the_value_from_error_reports():
    from cases.services.pii import reveal_pii

    assert getattr(reveal_pii, "sensitive_variables", None) == ("value",)


def test_a_case_opened_with_the_buyers_address_keeps_it_and_shows_it_masked(api, shop, agent):
    from tests.factories import case_payload

    payload = case_payload(shop, customer={"handle": "b-addr", "phone": PHONE,
                                           "address": "上海市浦东新区世纪大道 8 号"})

    body = api(agent).post(CASES, payload, format="json").json()

    assert Customer.objects.get(handle="b-addr").address == "上海市浦东新区世纪大道 8 号"
    assert body["customer"]["address"] == "上海市浦东新****"


def test_a_reveal_shows_only_the_phone_this_case_carries(api, shop, agent, case):
    # given a second case of the same buyer that arrived with another phone
    other = walk(open_case(shop, by=agent, customer={**BUYER, "phone": "13911112222"}), agent,
                 "acknowledge")

    # then each case reveals its own
    assert reveal(api(agent), case).json()["value"] == PHONE
    assert reveal(api(agent), other).json()["value"] == "13911112222"


def test_a_case_opened_with_a_known_handle_and_no_phone_has_nothing_to_reveal(
    api, shop, teammate, agent
):
    # given the buyer's only case, held by another agent
    walk(open_case(shop, by=teammate, customer=BUYER), teammate, "acknowledge")
    # and a "proxy" case opened with the buyer's handle and no phone, which the agent holds
    proxy = walk(open_case(shop, by=agent, customer={"handle": BUYER["handle"]}), agent,
                 "acknowledge")

    # when the agent reveals on the proxy case
    phone, address = reveal(api(agent), proxy), reveal(api(agent), proxy, "address")

    # then there is nothing to reveal, the reason is given and nothing is logged
    assert (phone.status_code, address.status_code) == (404, 404)
    assert "carries no phone" in phone.json()["detail"]
    assert PHONE not in phone.content.decode() and "文三路" not in address.content.decode()
    assert api(agent).get(f"{CASES}{proxy.pk}/").json()["customer"]["phone"] == ""
    assert not PiiReveal.objects.exists()
    assert not TimelineEvent.objects.filter(case=proxy, type="pii_revealed").exists()
