"""Outgoing webhooks: a case's changes POSTed, signed, to the shop's own URL (a real HTTP server
here), after commit, saying what happened to which case and nothing about the buyer."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import outgoing, services
from cases.models import DeliveryState, Kind, OutgoingWebhook
from cases.signatures import signature_problem
from config.service_errors import Conflict
from tests.factories import open_case, step, walk
from tests.integrations.shop_receiver import BUYER, PII, SECRET, changes, sends_to


def test_a_transition_is_posted_once_to_the_shop_signed_with_its_secret_after_commit(
    db, shop, agent, receiver, worker, django_capture_on_commit_callbacks
):
    # given a shop that takes case changes, and a case that came with the buyer's address
    sends_to(shop, receiver.url)
    case = open_case(shop, by=agent, customer=BUYER)

    # when the agent acknowledges it
    with django_capture_on_commit_callbacks(execute=True):
        step(case, "acknowledge", agent)
        assert receiver.requests == []  # nothing is sent inside the transaction

    # then one row, delivered, and one signed POST
    [webhook] = changes(case)
    assert (webhook.state, webhook.attempts) == (DeliveryState.DELIVERED, 1)
    [request] = receiver.requests
    assert signature_problem(SECRET, request.headers["X-Signature"], request.body,
                             time.time()) is None
    assert request.headers["X-Event-Id"] == str(webhook.event_id)
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "disputedesk"
    assert request.event == webhook.payload


def test_the_change_says_what_happened_to_which_case_and_nothing_about_the_buyer(
    db, shop, agent, receiver, worker, django_capture_on_commit_callbacks
):
    sends_to(shop, receiver.url)
    case = open_case(shop, by=agent, customer=BUYER)

    with django_capture_on_commit_callbacks(execute=True):
        step(case, "acknowledge", agent)

    [request] = receiver.requests
    event = request.event
    assert event["type"] == "case.state_changed"
    assert event["data"]["case"] == {
        "id": case.pk, "external_id": case.external_id, "kind": "refund", "state": "acknowledged",
        "shop": "demo", "order": case.order.number, "assignee": "agent1", "flags": []}
    assert (event["data"]["transition"], event["data"]["from_state"],
            event["data"]["to_state"]) == ("acknowledge", "new", "acknowledged")
    text = request.body.decode()
    for pii in PII:
        assert pii not in text
    assert "phone" not in text and "name" not in text and "address" not in text


def test_opening_a_case_tells_the_shop_too(
    db, shop, agent, receiver, worker, django_capture_on_commit_callbacks
):
    sends_to(shop, receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(shop, by=agent)

    [request] = receiver.requests
    assert request.event["type"] == "case.opened"
    assert request.event["data"]["case"]["id"] == case.pk
    assert request.event["data"]["to_state"] == "new"


THREAT = "再不给我退款我就去12315投诉你们"


def flags_sent(request) -> list[tuple[str, list[str], str]]:
    return [(f["code"], f["matched"], f["source"]) for f in request.event["data"]["case"]["flags"]]


def test_a_case_opened_with_a_threat_tells_the_shop_its_flags_signed_like_any_change(
    db, shop, agent, receiver, worker, django_capture_on_commit_callbacks
):
    # given a shop that takes case changes
    sends_to(shop, receiver.url)

    # when a buyer's request that threatens a complaint opens a case
    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(shop, by=agent, description=THREAT)

    # then the opening carries the flags as the API shows them, and the signature still holds
    [request] = receiver.requests
    assert request.event["type"] == "case.opened"
    assert flags_sent(request) == [("regulator", ["12315"], "description"),
                                   ("platform_complaint", ["投诉"], "description")]
    case.refresh_from_db()
    assert [f["at"] for f in request.event["data"]["case"]["flags"]] == [
        f["at"] for f in case.threats]
    assert signature_problem(SECRET, request.headers["X-Signature"], request.body,
                             time.time()) is None
    assert request.event == OutgoingWebhook.objects.get(case=case).payload


def test_a_case_without_threats_is_sent_with_an_empty_list_of_flags(
    db, shop, agent, receiver, worker, django_capture_on_commit_callbacks
):
    sends_to(shop, receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        walk(open_case(shop, by=agent, description="杯子有裂痕"), agent, "acknowledge")

    assert [r.event["data"]["case"]["flags"] for r in receiver.requests] == [[], []]


def test_a_threat_in_a_later_message_rides_on_the_next_change_sent(
    db, shop, agent, receiver, worker, django_capture_on_commit_callbacks
):
    # given a case opened without a threat, and the buyer threatens in a message later
    sends_to(shop, receiver.url)
    case = open_case(shop, by=agent)
    services.log_contact(case_id=case.pk, by=None, data={
        "channel": "chat", "direction": "inbound", "body": "I'm going to sue you"})
    receiver.requests.clear()

    # when the agent acknowledges the case
    with django_capture_on_commit_callbacks(execute=True):
        step(case, "acknowledge", agent)

    # then the change carries the flag the message raised
    [request] = receiver.requests
    assert flags_sent(request) == [("legal", ["sue"], "message")]
    assert signature_problem(SECRET, request.headers["X-Signature"], request.body,
                             time.time()) is None


def test_cases_opened_by_an_import_carry_their_flags_too(db, shop, agent, receiver):
    # given cases opened in bulk, one threatening
    sends_to(shop, receiver.url)
    services.open_cases(by=agent, shop=shop, kind=Kind.REFUND, openings=[
        services.Opening("IMP-1", description=THREAT),
        services.Opening("IMP-2", description="快递太慢了")])

    # when the delivery run the import asks for sends them
    outgoing.send_due()

    # then each opening carries its own flags, signed

    sent = {r.event["data"]["case"]["external_id"]: r for r in receiver.requests}
    assert flags_sent(sent["IMP-1"]) == [("regulator", ["12315"], "description"),
                                         ("platform_complaint", ["投诉"], "description")]
    assert sent["IMP-2"].event["data"]["case"]["flags"] == []
    for request in sent.values():
        assert signature_problem(SECRET, request.headers["X-Signature"], request.body,
                                 time.time()) is None


def test_a_shop_without_a_url_gets_no_rows(db, shop, agent, worker):
    walk(open_case(shop, by=agent), agent, "acknowledge", "calm")

    assert not OutgoingWebhook.objects.exists()


def test_a_transition_costs_no_extra_query_when_the_shop_has_no_url(db, shop, agent, monkeypatch):
    first, second = open_case(shop, by=agent), open_case(shop, by=agent)
    with CaptureQueriesContext(connection) as with_hook:
        step(first, "acknowledge", agent)

    monkeypatch.setattr(outgoing, "record_case_change", lambda case, event: None)
    with CaptureQueriesContext(connection) as without_hook:
        step(second, "acknowledge", agent)

    assert len(with_hook) == len(without_hook)


def test_a_refused_transition_sends_nothing(db, shop, agent, receiver, worker,
                                         django_capture_on_commit_callbacks):
    sends_to(shop, receiver.url)
    case = open_case(shop, by=agent)

    # a transition the case cannot make (no acknowledge yet): refused, nothing recorded
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        step(case, "accept", agent)

    assert not changes(case).exists()
    assert receiver.requests == []
