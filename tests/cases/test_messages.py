"""Messages to the buyer (send_message; GET and POST /api/v1/cases/{id}/messages/): an answer to a
buyer who wrote in the last 24 hours is always sent, an unsolicited one is outreach and follows the
contact policy, phrase warnings are kept, and bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from cases import services
from cases.models import Case, Contact, Customer, OutgoingWebhook, TimelineEvent
from tests.cases.contact_rules import CALL, INBOUND, SHANGHAI, at, contact, with_quiet_hours
from tests.factories import open_case, walk


def messages_url(case: Case) -> str:
    return f"/api/v1/cases/{case.pk}/messages/"


def written() -> tuple[int, int, int]:
    return Contact.objects.count(), TimelineEvent.objects.count(), OutgoingWebhook.objects.count()


def send(case: Case, by: Any, body: str = "您好，您的退款已经在处理中。", **data: Any) -> Any:
    return services.send_message(case_id=case.pk, by=by, data={"body": body, **data})


# --- answer or outreach ---------------------------------------------------------------------------

def test_a_reply_within_24_hours_of_the_buyers_message_is_sent_in_quiet_hours(shop, agent):
    with_quiet_hours(shop)
    case = open_case(shop, by=agent)
    with at(SHANGHAI, 2026, 6, 15, 21, 0):
        contact(case, agent, INBOUND)

    with at(SHANGHAI, 2026, 6, 15, 23, 30):
        sent = send(case, agent)

    assert (sent.contact.direction, sent.contact.outreach) == ("outbound", False)
    assert TimelineEvent.objects.filter(type="message_sent").get().data["outreach"] is False


def test_a_reply_within_24_hours_is_sent_past_the_contact_limit_and_does_not_count(shop, agent):
    case = open_case(shop, by=agent)
    for _ in range(3):
        contact(case, agent, CALL)
    contact(case, agent, INBOUND)

    send(case, agent)
    send(case, agent, "还有什么可以帮您的吗？")

    assert Contact.objects.filter(outreach=True).count() == 3
    assert Contact.objects.filter(direction="outbound", outreach=False).count() == 2


def test_a_buyer_who_asked_not_to_be_contacted_but_wrote_may_be_answered(shop, agent):
    case = open_case(shop, by=agent)
    Customer.objects.filter(pk=case.customer_id).update(do_not_contact=True)
    contact(case, agent, INBOUND)

    sent = send(case, agent)

    assert sent.contact.outreach is False


def test_a_reply_more_than_24_hours_after_the_buyers_message_is_outreach(shop, agent):
    case = open_case(shop, by=agent)
    contact(case, agent, INBOUND)

    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        sent = send(case, agent)

    assert sent.contact.outreach is True


def test_the_buyers_message_on_another_case_does_not_make_an_answer(shop, agent):
    case = open_case(shop, by=agent, customer={"handle": "two_cases"})
    other = open_case(shop, by=agent, customer={"handle": "two_cases"})
    contact(other, agent, INBOUND)

    assert send(case, agent).contact.outreach is True


@pytest.mark.parametrize(("scene", "code"), [
    ("quiet_hours", "quiet_hours"), ("contact_limit", "contact_limit"),
    ("do_not_contact", "do_not_contact"),
])
def test_an_unsolicited_message_is_refused_409_with_the_policys_code_and_nothing_written(
    api, shop, agent, before, scene, code
):
    # given a buyer the shop may not reach out to now
    with_quiet_hours(shop)
    case = open_case(shop, by=agent)
    with at(SHANGHAI, 2026, 6, 15, 10, 0):
        if scene == "contact_limit":
            for _ in range(3):
                contact(case, agent, CALL)
        if scene == "do_not_contact":
            Customer.objects.filter(pk=case.customer_id).update(do_not_contact=True)
    unchanged, counts = before(), written()
    when = (2026, 6, 15, 23, 30) if scene == "quiet_hours" else (2026, 6, 15, 11, 0)

    # when the agent writes first
    with at(SHANGHAI, *when):
        response = api(agent).post(messages_url(case), {"body": "您好，想跟您确认一下。"},
                                   format="json")

    # then
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == code
    assert unchanged() and written() == counts


def test_a_call_is_outreach_even_right_after_the_buyer_wrote(shop, agent):
    case = open_case(shop, by=agent)
    contact(case, agent, INBOUND)

    logged = contact(case, agent, CALL)

    assert logged.contact.outreach is True


# --- what is sent and returned --------------------------------------------------------------------

def test_a_message_is_sent_with_its_phrase_warnings_stored_and_returned(api, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    response = api(agent).post(messages_url(case), {"body": "  我不能马上退款，但是会尽快。 "},
                               format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    stored = Contact.objects.get(pk=body["id"])
    assert (body["direction"], body["channel"], body["body"], body["author"]) == (
        "outbound", "chat", "我不能马上退款，但是会尽快。", "agent1")
    assert [hit["phrase"] for hit in body["phrase_hits"]] == ["我不能", "但是"]
    assert stored.phrase_hits == body["phrase_hits"]
    assert body["delivery"] == "no_connector"
    assert body["sent_at"]
    event = TimelineEvent.objects.filter(type="message_sent").get()
    assert (event.actor, event.data["contact_id"], event.data["phrase_hits"]) == (
        agent, stored.pk, stored.phrase_hits)


def test_a_message_goes_out_on_the_channel_asked_for(api, shop, agent):
    case = open_case(shop, by=agent)

    response = api(agent).post(messages_url(case), {"body": "短信通知：退款已处理。",
                                                    "channel": "sms"}, format="json")

    assert (response.status_code, response.json()["channel"]) == (201, "sms")


def test_the_first_message_is_the_first_response(shop, agent):
    case = open_case(shop, by=agent)

    send(case, agent)

    assert Case.objects.get(pk=case.pk).first_responded_at is not None


def test_messages_are_listed_oldest_first_with_the_buyer_as_author_of_theirs(api, shop, agent):
    case = open_case(shop, by=agent)
    contact(case, agent, INBOUND)
    send(case, agent, "您好，马上为您查。")
    contact(case, agent, {**CALL, "outcome": "reached", "body": "电话确认了地址。"})

    response = api(agent).get(messages_url(case))

    assert response.status_code == 200
    assert [(m["direction"], m["channel"], m["author"], m["delivery"]) for m in response.json()] == [
        ("inbound", "chat", None, None), ("outbound", "chat", "agent1", "no_connector"),
        ("outbound", "call", "agent1", None)]


# --- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "field"), [
    pytest.param({"body": ""}, "body", id="empty"),
    pytest.param({"body": "   "}, "body", id="only-spaces"),
    pytest.param({}, "body", id="no-body"),
    pytest.param({"body": "好" * 4001}, "body", id="4001-characters"),
    pytest.param({"body": 42}, "body", id="a-number"),
    pytest.param({"body": ["您好"]}, "body", id="a-list"),
    pytest.param({"body": None}, "body", id="null"),
    pytest.param({"body": "您好", "channel": "call"}, "channel", id="a-call-is-not-sent"),
    pytest.param({"body": "您好", "channel": "fax"}, "channel", id="unknown-channel"),
])
def test_a_bad_message_is_refused_400_naming_the_field_and_nothing_is_written(
    api, shop, agent, before, data, field
):
    case = open_case(shop, by=agent)
    unchanged, counts = before(), written()

    response = api(agent).post(messages_url(case), data, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert unchanged() and written() == counts


def test_4000_characters_are_enough(api, shop, agent):
    case = open_case(shop, by=agent)

    response = api(agent).post(messages_url(case), {"body": "好" * 4000}, format="json")

    assert response.status_code == 201


def test_a_message_with_a_quick_reply_variable_left_unfilled_is_refused_naming_it(
    api, shop, agent, before
):
    case = open_case(shop, by=agent)
    unchanged = before()

    response = api(agent).post(messages_url(case), {"body": "您的订单 {order} 退款 {amount} 已处理"},
                               format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["body"] == ["Fill in {order}, {amount} before sending."]
    assert unchanged()


def test_braces_that_are_no_variable_are_sent_as_written(api, shop, agent):
    case = open_case(shop, by=agent)

    response = api(agent).post(messages_url(case), {"body": "表情 {微笑} 和 {x}"}, format="json")

    assert response.status_code == 201


# --- who may -----------------------------------------------------------------------------------

def test_another_shops_agent_gets_404_reading_or_sending_and_nothing_is_written(
    api, shop, agent, outsider, before
):
    case = open_case(shop, by=agent)
    send(case, agent)
    unchanged, counts = before(), written()

    read = api(outsider).get(messages_url(case))
    sent = api(outsider).post(messages_url(case), {"body": "hello"}, format="json")

    assert (read.status_code, sent.status_code) == (404, 404)
    assert "body" not in read.content.decode() and "您好" not in read.content.decode()
    assert unchanged() and written() == counts


def test_a_supervisor_of_the_shop_may_read_the_conversation(api, shop, agent, supervisor):
    case = open_case(shop, by=agent)
    send(case, agent)

    assert api(supervisor).get(messages_url(case)).status_code == 200


def test_anonymous_gets_401(api, shop, agent):
    case = open_case(shop, by=agent)

    assert api(None).get(messages_url(case)).status_code in (401, 403)


def test_no_case_is_404(api, shop, agent):
    assert api(agent).get("/api/v1/cases/999999/messages/").status_code == 404


def test_a_call_from_the_buyer_does_not_make_the_next_message_an_answer(shop, agent):
    case = open_case(shop, by=agent)
    contact(case, agent, {"channel": "call", "direction": "inbound", "outcome": "reached"})

    assert send(case, agent).contact.outreach is True
