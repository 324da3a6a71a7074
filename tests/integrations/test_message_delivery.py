"""A message the agent sends leaves through the shop's connector: one `message.sent` event, signed,
delivered once after commit by the outgoing webhooks' own delivery (a real local HTTP server here),
its state shown on the message; and the buyer's replies arrive through the marketplace's webhook."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cases import outgoing, services
from cases.conversation import delivery_of
from cases.models import Contact, DeliveryState, OutgoingWebhook
from cases.signatures import signature_problem
from tests.factories import open_case
from tests.integrations import shop_receiver as connector
from tests.integrations.shop_receiver import BUYER, PII, SECRET, sends_to
from tests.integrations.test_webhooks import event, post

# The outgoing webhooks' fixtures: the shop's system (a local HTTP server), a URL where nothing
# listens, the delivery task run at once when enqueued, or never.
receiver, closed_port_url = connector.receiver, connector.closed_port_url
worker, no_worker = connector.worker, connector.no_worker

WEBHOOK_SECRET = "demo-webhook-secret"


def messages_url(case: Any) -> str:
    return f"/api/v1/cases/{case.pk}/messages/"


def sent(case: Any) -> Any:
    return OutgoingWebhook.objects.filter(case=case, type=outgoing.MESSAGE_SENT)


def delivery_shown(api: Any, user: Any, case: Any) -> list[str | None]:
    return [m["delivery"] for m in api(user).get(messages_url(case)).json()]


def test_a_sent_message_is_posted_once_to_the_connector_signed_after_commit(
    db, api, shop, agent, receiver, worker, django_capture_on_commit_callbacks
):
    # given a shop with a connector, and a case that came with the buyer's details
    sends_to(shop, receiver.url)
    case = open_case(shop, by=agent, customer=BUYER, external_id="TB-7001")
    receiver.requests.clear()

    # when the agent sends a message
    with django_capture_on_commit_callbacks(execute=True):
        response = api(agent).post(messages_url(case), {"body": "您好，退款已为您提交。"},
                                   format="json")

    # then one row, delivered once, that the message points at
    assert response.status_code == 201
    [webhook] = sent(case)
    contact = Contact.objects.get(pk=response.json()["id"])
    assert contact.sent_through == webhook
    assert (webhook.state, webhook.attempts) == (DeliveryState.DELIVERED, 1)
    [request] = receiver.of_type("message.sent")
    assert signature_problem(SECRET, request.headers["X-Signature"], request.body,
                             time.time()) is None
    assert request.event == webhook.payload
    assert request.event["data"] == {
        "case": {"id": case.pk, "external_id": "TB-7001", "shop": "demo",
                 "order": case.order.number, "flags": []},
        "message": {"id": contact.pk, "channel": "chat", "body": "您好，退款已为您提交。",
                    "author": "agent1", "sent_at": contact.at.isoformat()},
    }
    for pii in PII:
        assert pii not in request.body.decode()
    assert delivery_shown(api, agent, case) == ["sent"]


def test_the_message_is_queued_until_delivered_then_sent(
    db, api, shop, agent, receiver, no_worker, django_capture_on_commit_callbacks
):
    sends_to(shop, receiver.url)
    case = open_case(shop, by=agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(agent).post(messages_url(case), {"body": "您好。"}, format="json")
    assert response.json()["delivery"] == "queued"
    [webhook] = sent(case)
    assert [args for args in no_worker if args == (webhook.pk,)] == [(webhook.pk,)]

    assert outgoing.deliver(webhook.pk) is True
    assert outgoing.deliver(webhook.pk) is False  # never twice

    assert delivery_shown(api, agent, case) == ["sent"]
    assert len(receiver.of_type("message.sent")) == 1


def test_a_message_the_connector_never_takes_is_failed_after_the_last_attempt(
    db, api, shop, agent, closed_port_url, no_worker, settings
):
    settings.OUTGOING_WEBHOOK_MAX_ATTEMPTS = 2
    sends_to(shop, closed_port_url)
    case = open_case(shop, by=agent)
    message = services.send_message(case_id=case.pk, by=agent, data={"body": "您好。"})
    webhook = sent(case).get()

    assert outgoing.deliver(webhook.pk) is False
    assert delivery_shown(api, agent, case) == ["queued"]  # retried later
    OutgoingWebhook.objects.filter(pk=webhook.pk).update(next_attempt_at=webhook.created_at)
    assert outgoing.deliver(webhook.pk) is False

    contact = Contact.objects.select_related("sent_through").get(pk=message.contact.pk)
    assert (contact.sent_through.state, delivery_of(contact)) == (DeliveryState.FAILED, "failed")
    assert delivery_shown(api, agent, case) == ["failed"]


def test_a_shop_without_a_connector_gets_no_row_and_the_message_says_so(db, api, shop, agent):
    case = open_case(shop, by=agent)

    response = api(agent).post(messages_url(case), {"body": "您好。"}, format="json")

    assert response.json()["delivery"] == "no_connector"
    assert not OutgoingWebhook.objects.exists()
    assert Contact.objects.get().sent_through is None


def test_a_refused_message_sends_nothing(db, api, shop, agent, receiver, worker,
                                         django_capture_on_commit_callbacks):
    sends_to(shop, receiver.url)
    case = open_case(shop, by=agent)
    for _ in range(3):
        services.log_contact(case_id=case.pk, by=agent, data={
            "channel": "call", "direction": "outbound", "outcome": "no_answer"})
    receiver.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = api(agent).post(messages_url(case), {"body": "您好。"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "contact_limit")
    assert not sent(case).exists() and receiver.of_type("message.sent") == []


# --- the buyer's side: the marketplace's webhook ------------------------------------------------

@pytest.fixture
def takes_webhooks(shop):
    shop.webhook_secret = WEBHOOK_SECRET
    shop.save()
    return shop


def test_the_buyers_reply_shows_in_the_conversation_and_an_answer_ends_the_wait(
    db, api, takes_webhooks, agent
):
    # given a case the buyer writes on through the marketplace
    case = open_case(takes_webhooks, by=agent, external_id="TB-7002")
    post(event("case.updated", {"external_id": "TB-7002", "change": "buyer_replied",
                                "message": "我的退款什么时候到？"}))

    # then it is the buyer's message, and the buyer is waiting since it arrived
    [message] = api(agent).get(messages_url(case)).json()
    assert (message["direction"], message["channel"], message["body"], message["author"],
            message["delivery"]) == ("inbound", "chat", "我的退款什么时候到？", None, None)
    detail = api(agent).get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["buyer_waiting_since"] == message["sent_at"]
    assert Contact.objects.get().by is None

    # when the agent answers
    response = api(agent).post(messages_url(case), {"body": "您好，退款今天到账。"}, format="json")

    # then the wait is over
    assert response.status_code == 201
    assert api(agent).get(f"/api/v1/cases/{case.pk}/").json()["buyer_waiting_since"] is None
