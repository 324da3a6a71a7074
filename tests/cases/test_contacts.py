"""Calls and messages with the buyer (POST /api/v1/cases/{id}/contacts/)."""

from __future__ import annotations

from typing import Any

import pytest

from cases import services
from cases.models import Case, Contact, Customer, TimelineEvent
from tests.factories import case_payload, open_case, walk


def contacts_url(case: Case) -> str:
    return f"/api/v1/cases/{case.pk}/contacts/"


def written(case: Case) -> tuple[Any, ...]:
    return (
        Case.objects.values_list("state", "assignee_id").get(pk=case.pk),
        Contact.objects.count(),
        TimelineEvent.objects.count(),
        sorted(Customer.objects.values_list("handle", "do_not_contact")),
    )


def test_a_call_is_logged_with_its_outcome_and_one_timeline_event(api, shop, agent):
    # given
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    events = case.timeline.count()

    # when
    response = api(agent).post(contacts_url(case), {
        "channel": "call", "direction": "outbound", "outcome": "reached",
        "body": "回访：退款已到账，感谢您的耐心。"}, format="json")

    # then
    assert response.status_code == 201
    body = response.json()
    contact = Contact.objects.get()
    assert body["id"] == contact.pk
    assert (body["channel"], body["direction"], body["outcome"], body["by"]) == (
        "call", "outbound", "reached", "agent1")
    assert (contact.case, contact.customer, contact.by) == (case, case.customer, agent)
    assert case.timeline.count() == events + 1
    event = case.timeline.order_by("at", "id").last()
    assert (event.type, event.actor, event.from_state, event.to_state) == (
        "contact_logged", agent, "acknowledged", "acknowledged")
    assert event.data == {"contact_id": contact.pk, "channel": "call", "direction": "outbound",
                          "outcome": "reached", "body": "回访：退款已到账，感谢您的耐心。"}
    assert event.at == contact.at
    assert Case.objects.get(pk=case.pk).state == "acknowledged"


def test_a_message_from_the_buyer_is_logged_without_an_outcome(api, shop, agent):
    case = open_case(shop, by=agent)

    response = api(agent).post(contacts_url(case), {
        "channel": "chat", "direction": "inbound", "body": "我的退款什么时候到？"}, format="json")

    assert response.status_code == 201
    assert (response.json()["outcome"], response.json()["body"]) == ("", "我的退款什么时候到？")


def test_contacts_are_shown_on_the_case_page_in_order(api, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    api(agent).post(contacts_url(case), {"channel": "chat", "direction": "inbound", "body": "在吗？"},
                    format="json")
    api(agent).post(contacts_url(case), {"channel": "chat", "direction": "outbound",
                                         "body": "在的，您请讲。"}, format="json")

    page = api(agent).get(f"/api/v1/cases/{case.pk}/").json()

    assert [(c["direction"], c["body"], c["by"]) for c in page["contacts"]] == [
        ("inbound", "在吗？", "agent1"), ("outbound", "在的，您请讲。", "agent1")]
    assert [e["type"] for e in page["timeline"]][-2:] == ["contact_logged", "contact_logged"]


def test_a_buyer_who_asks_not_to_be_contacted_is_marked(api, shop, agent):
    # given two cases of the same buyer
    buyer = {"handle": "tb_quiet", "phone": "13800138000"}
    case = walk(open_case(shop, by=agent, customer=buyer), agent, "acknowledge")
    other = open_case(shop, by=agent, customer=buyer)

    # when a call ends with the request
    response = api(agent).post(contacts_url(case), {
        "channel": "call", "direction": "outbound", "outcome": "do_not_contact",
        "body": "买家表示不希望再接到电话。"}, format="json")

    # then the buyer is marked, on every case of theirs
    assert response.status_code == 201
    assert Customer.objects.get(handle="tb_quiet").do_not_contact is True
    for c in (case, other):
        assert api(agent).get(f"/api/v1/cases/{c.pk}/").json()["customer"]["do_not_contact"] is True


def test_other_outcomes_leave_the_buyer_contactable(api, shop, agent):
    case = open_case(shop, by=agent)

    for outcome in ("reached", "no_answer", "refused"):
        api(agent).post(contacts_url(case), {"channel": "call", "direction": "outbound",
                                             "outcome": outcome}, format="json")

    assert Customer.objects.get(pk=case.customer_id).do_not_contact is False
    assert Contact.objects.filter(case=case).count() == 3


def test_do_not_contact_on_a_case_without_a_known_buyer_is_still_logged(api, shop, agent):
    payload = case_payload(shop)
    del payload["customer"]
    case, _ = services.open_case(by=agent, data=payload)

    response = api(agent).post(contacts_url(case), {
        "channel": "call", "direction": "outbound", "outcome": "do_not_contact"}, format="json")

    assert response.status_code == 201
    assert Contact.objects.get().customer is None
    assert Customer.objects.count() == 0


@pytest.mark.parametrize(("data", "errors"), [
    pytest.param({"channel": "call", "direction": "outbound"},
                 {"outcome": ["Say how the call went."]}, id="a-call-without-outcome"),
    pytest.param({"channel": "call", "direction": "outbound", "outcome": ""},
                 {"outcome": ["Say how the call went."]}, id="a-call-with-a-blank-outcome"),
    pytest.param({"channel": "chat", "direction": "outbound"},
                 {"body": ["A message needs its text."]}, id="a-chat-without-text"),
    pytest.param({"channel": "sms", "direction": "outbound", "body": ""},
                 {"body": ["A message needs its text."]}, id="an-sms-with-blank-text"),
    pytest.param({"channel": "email", "direction": "inbound", "body": "   "},
                 {"body": ["A message needs its text."]}, id="an-email-of-spaces"),
    pytest.param({"channel": "chat", "direction": "outbound", "outcome": "reached"},
                 {"body": ["A message needs its text."]}, id="a-chat-with-only-an-outcome"),
])
def test_a_call_needs_its_outcome_and_a_message_its_text(api, shop, agent, data, errors):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    before = written(case)

    response = api(agent).post(contacts_url(case), data, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "The data sent is not valid.", "errors": errors}
    assert written(case) == before


@pytest.mark.parametrize(("data", "field"), [
    ({}, "channel"),
    ({"channel": "pigeon", "direction": "outbound", "body": "hi"}, "channel"),
    ({"channel": "chat", "body": "hi"}, "direction"),
    ({"channel": "chat", "direction": "sideways", "body": "hi"}, "direction"),
    ({"channel": "call", "direction": "outbound", "outcome": "hung_up"}, "outcome"),
    ({"channel": "chat", "direction": "outbound", "body": "长" * 4001}, "body"),
    ({"channel": ["chat"], "direction": "outbound", "body": "hi"}, "channel"),
])
def test_a_contact_with_unknown_choices_is_answered_400(api, shop, agent, data, field):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    before = written(case)

    response = api(agent).post(contacts_url(case), data, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert written(case) == before


@pytest.mark.parametrize("body", ['{"channel": "chat", ', "[]", '["chat", "outbound"]'])
def test_a_contact_that_is_not_a_json_object_is_answered_400(api, shop, agent, body):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    before = written(case)

    response = api(agent).post(contacts_url(case), data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert written(case) == before


@pytest.mark.parametrize(("who", "status"), [("teammate", 403), ("outsider", 404)])
def test_a_contact_on_a_case_someone_may_not_work_is_refused(api, shop, agent, request, who,
                                                               status):
    # a teammate reads the case but may not act on it; to an outsider it does not exist
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    before = written(case)

    response = api(request.getfixturevalue(who)).post(contacts_url(case), {
        "channel": "call", "direction": "outbound", "outcome": "do_not_contact"}, format="json")

    assert response.status_code == status
    assert written(case) == before


def test_a_contact_may_follow_up_a_closed_case(api, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "withdraw")

    response = api(agent).post(contacts_url(case), {
        "channel": "call", "direction": "outbound", "outcome": "reached"}, format="json")

    assert response.status_code == 201
    assert case.timeline.order_by("at", "id").last().to_state == "closed"
