"""A case keeps the buyer's details that arrived with it; the buyer's details change only by an
explicit update, logged on every open case of the buyer."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from cases.models import Case, Customer, TimelineEvent
from cases.services import create_api_token
from cases.signatures import sign
from tests.factories import TO_RESOLVED, UserFactory, case_payload, open_case, reach_buyer, walk
from tests.integrations.test_webhooks import event

CASES = "/api/v1/cases/"
PHONE, NEW_PHONE = "13800138000", "13911112222"
BUYER = {"handle": "tb_wangfang", "name": "王芳", "phone": PHONE, "address": "浙江省杭州市西湖区文三路 1 号"}


def update(client, case, **details):
    return client.post(f"{CASES}{case.pk}/buyer/", details, format="json")


def reveal(client, case, field="phone"):
    return client.post(f"{CASES}{case.pk}/reveal/", {"field": field}, format="json")


def changes_logged(case):
    return list(TimelineEvent.objects.filter(case=case, type="buyer_details_changed"))


def carried(case):
    return Case.objects.values_list("buyer_name", "buyer_phone", "buyer_address").get(pk=case.pk)


@pytest.fixture
def teammates_case(shop, teammate):
    """The buyer's case, held by another agent."""
    return walk(open_case(shop, by=teammate, customer=BUYER), teammate, "acknowledge")


def test_opening_a_case_with_a_known_handle_never_rewrites_the_buyer_or_their_other_cases(
    api, shop, agent, teammate, teammates_case
):
    # given an agent who may only read the buyer's case another agent holds
    assert api(agent).get(f"{CASES}{teammates_case.pk}/").json()["available_transitions"] == []

    # when they open a case with that buyer's handle and other details
    opened = api(agent).post(CASES, case_payload(shop, customer={
        "handle": BUYER["handle"], "name": "Mallory", "phone": "19999999999"}), format="json")

    # then the buyer and the other agent's case are as they were
    assert opened.status_code == 201
    buyer = Customer.objects.get(handle=BUYER["handle"])
    assert (buyer.name, buyer.phone) == ("王芳", PHONE)
    assert reveal(api(teammate), teammates_case).json()["value"] == PHONE
    assert api(teammate).get(f"{CASES}{teammates_case.pk}/").json()["customer"]["name"] == "王芳"
    assert carried(teammates_case) == (BUYER["name"], PHONE, BUYER["address"])
    # and the new case carries what arrived with it
    assert carried(Case.objects.get(pk=opened.json()["id"]))[:2] == ("Mallory", "19999999999")
    assert not TimelineEvent.objects.filter(type="buyer_details_changed").exists()


def test_an_explicit_update_changes_the_buyer_and_each_open_case_and_is_logged_on_each(
    api, shop, agent, supervisor, teammate, teammates_case
):
    # given the buyer's open case held by the agent and a closed one from before
    mine = walk(open_case(shop, by=agent, customer=BUYER), agent, "acknowledge")
    closed = walk(open_case(shop, by=agent, customer=BUYER), agent, *TO_RESOLVED)
    reach_buyer(closed, agent)
    walk(closed, agent, "close")

    # when the agent records the buyer's new phone
    response = update(api(agent), mine, phone=NEW_PHONE)

    # then the record and every open case carry it; the closed case keeps what it had
    assert response.status_code == 200
    assert response.json()["customer"]["phone"] == "139****2222"
    assert Customer.objects.get(handle=BUYER["handle"]).phone == NEW_PHONE
    assert carried(mine)[1] == carried(teammates_case)[1] == NEW_PHONE
    assert carried(closed) == (BUYER["name"], PHONE, BUYER["address"])
    assert reveal(api(teammate), teammates_case).json()["value"] == NEW_PHONE
    # and each open case says who changed what, from which case (never the value)
    for case in (mine, teammates_case):
        [logged] = changes_logged(case)
        assert logged.actor == agent
        assert logged.data == {"fields": ["phone"], "from_case": mine.pk}
    assert changes_logged(closed) == []


@pytest.mark.parametrize(("who", "status"), [("teammate", 403), ("outsider", 404)])
def test_someone_who_may_not_work_the_case_cannot_change_the_buyer(
    api, shop, agent, request, who, status
):
    mine = walk(open_case(shop, by=agent, customer=BUYER), agent, "acknowledge")

    response = update(api(request.getfixturevalue(who)), mine, phone="19999999999")

    assert response.status_code == status
    assert Customer.objects.get(handle=BUYER["handle"]).phone == PHONE
    assert carried(mine)[1] == PHONE
    assert changes_logged(mine) == []


@pytest.mark.parametrize("details, field", [
    ({"phone": "call me"}, "phone"),
    ({"name": "x" * 121}, "name"),
    ({}, "non_field_errors"),
])
def test_bad_details_are_refused_with_the_reason_and_change_nothing(
    api, shop, agent, details, field
):
    mine = walk(open_case(shop, by=agent, customer=BUYER), agent, "acknowledge")

    response = update(api(agent), mine, **details)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert carried(mine) == (BUYER["name"], PHONE, BUYER["address"])
    assert changes_logged(mine) == []


def test_a_closed_case_keeps_its_details_and_changes_no_buyer(api, shop, agent):
    closed = walk(open_case(shop, by=agent, customer=BUYER), agent, *TO_RESOLVED)
    reach_buyer(closed, agent)
    walk(closed, agent, "close")

    response = update(api(agent), closed, phone=NEW_PHONE)

    assert response.status_code == 409
    assert "open case" in response.json()["detail"]
    assert Customer.objects.get(handle=BUYER["handle"]).phone == PHONE


def test_the_shops_api_token_updates_the_buyer_logged_as_that_integration(shop, admin, teammates_case):
    user = UserFactory(username="erp", role="supervisor", shops=[shop])
    raw = create_api_token(shop=shop, user=user, name="ERP sync", by=admin)[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")

    response = update(client, teammates_case, address="上海市浦东新区世纪大道 8 号")

    assert response.status_code == 200
    assert carried(teammates_case)[2] == "上海市浦东新区世纪大道 8 号"
    [logged] = changes_logged(teammates_case)
    assert logged.actor == user
    assert logged.data["fields"] == ["address"]
    assert logged.data["integration"] == f"API token ERP sync ({raw[:8]}…)"


def test_a_signed_marketplace_webhook_updates_the_buyer_logged_as_the_marketplace(
    shop, teammates_case
):
    shop.webhook_secret = "demo-webhook-secret"
    shop.save()
    body = event("case.updated", {"external_id": teammates_case.external_id,
                                  "change": "buyer_details_changed",
                                  "customer": {"phone": NEW_PHONE}})

    response = Client().post(f"/api/v1/webhooks/{shop.code}/", data=body,
                             content_type="application/json",
                             HTTP_X_SIGNATURE=sign(shop.webhook_secret, body))

    assert response.status_code == 200
    assert carried(teammates_case)[1] == NEW_PHONE
    [logged] = changes_logged(teammates_case)
    assert (logged.actor, logged.data["integration"]) == (None, "marketplace webhook")


def test_the_agent_changes_the_buyers_phone_on_the_case_page_and_it_is_logged(
    shop, agent, teammates_case
):
    from tests.pages.browsing import browser

    mine = walk(open_case(shop, by=agent, customer=BUYER), agent, "acknowledge")
    client = browser(agent)
    assert "buyer-details/" in client.get(f"/cases/{mine.pk}/").content.decode()

    response = client.post(f"/cases/{mine.pk}/buyer-details/",
                           {"buyer-phone": NEW_PHONE, "buyer-name": "", "buyer-address": ""})

    assert response.status_code == 302
    assert carried(mine) == carried(teammates_case) == (BUYER["name"], NEW_PHONE, BUYER["address"])
    assert [e.data["fields"] for e in changes_logged(teammates_case)] == [["phone"]]


def test_a_bad_phone_on_the_case_page_is_refused_beside_the_field_and_changes_nothing(shop, agent):
    from tests.pages.browsing import browser

    mine = walk(open_case(shop, by=agent, customer=BUYER), agent, "acknowledge")

    client = browser(agent)

    response = client.post(f"/cases/{mine.pk}/buyer-details/", {"buyer-phone": "call me"})

    assert response.status_code == 302  # back to the case, the reason kept for it
    assert "Digits only" in client.get(response["Location"]).content.decode()
    assert carried(mine)[1] == PHONE and changes_logged(mine) == []



def at_once(*actions) -> list[Exception]:
    """Run each action in its own thread and connection, all released together; their errors."""
    import threading

    from django.db import connection

    barrier, errors = threading.Barrier(len(actions)), []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_updates_from_two_cases_of_the_buyer_and_a_call_at_once_all_go_through(
    shop, agent, teammate
):
    from functools import partial

    from cases import services

    for round_ in range(5):
        # given the buyer's two open cases, each with its own agent
        buyer = {**BUYER, "handle": f"tb_race_{round_}"}
        mine = walk(open_case(shop, by=agent, customer=buyer), agent, "acknowledge")
        theirs = walk(open_case(shop, by=teammate, customer=buyer), teammate, "acknowledge")

        # when both agents change the phone and one logs a call, at the same moment
        errors = at_once(
            partial(services.update_buyer_details, case_id=mine.pk, by=agent,
                    data={"phone": "13900000001"}),
            partial(services.update_buyer_details, case_id=theirs.pk, by=teammate,
                    data={"phone": "13900000002"}),
            partial(services.log_contact, case_id=theirs.pk, by=teammate, data={
                "channel": "call", "direction": "outbound", "outcome": "reached"}),
        )

        # then none failed (no deadlock), both cases carry the same, last phone, each logged twice
        assert errors == []
        on_record = Customer.objects.get(handle=buyer["handle"]).phone
        assert carried(mine)[1] == carried(theirs)[1] == on_record
        assert len(changes_logged(mine)) == len(changes_logged(theirs)) == 2
