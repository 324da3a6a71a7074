"""Outgoing webhooks: a case's changes POSTed, signed, to the shop's own URL (a real HTTP server
here), after commit, retried with backoff, given up on after the last attempt, and sent once."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import outgoing
from cases.models import DeliveryState, OutgoingWebhook
from cases.signatures import signature_problem
from cases.tasks import deliver_outgoing_webhook, send_due_outgoing_webhooks
from config.claims import stale_claim
from config.service_errors import Conflict
from tests.factories import open_case, step, walk
from tests.notifications.test_celery_worker import wait_for, workers  # noqa: F401
from tests.notifications.test_failures import broker_down, twice_at_once  # noqa: F401

SECRET = "shop-outgoing-secret"
PII = ("王芳", "13800138000", "Room 1203, 88 Nanjing Road")
BUYER = {"handle": "buyer_out", **dict(zip(("name", "phone", "address"), PII, strict=True))}


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    """The shop's system: records every POST and answers with the next planned answer (200 when
    none is left): a status code, or ("sleep", seconds) before a 200."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of_type(self, type_: str) -> list[Received]:
        return [r for r in self.requests if r.event["type"] == type_]


def start_receiver(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with receiver.lock:
                receiver.requests.append(Received(dict(self.headers.items()), body))
                answer = receiver.answers.pop(0) if receiver.answers else 200
            if isinstance(answer, tuple):
                time.sleep(answer[1])
                answer = 200
            self.send_response(answer)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if answer < 300 else b"boom " * 300)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/disputedesk"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    server = start_receiver(receiver)
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url() -> str:
    """A URL where nothing listens (connection refused)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    return f"http://127.0.0.1:{port}/hooks"


def sends_to(shop: Any, url: str) -> Any:
    shop.outgoing_webhook_url = url
    shop.outgoing_webhook_secret = SECRET
    shop.save()
    return shop


@pytest.fixture
def worker(monkeypatch) -> list[tuple]:
    """The delivery task runs at once in this process when enqueued (as a worker would, later)."""
    enqueued: list[tuple] = []

    def run(args: tuple, **kwargs: Any) -> None:
        enqueued.append(args)
        deliver_outgoing_webhook(*args)

    monkeypatch.setattr(deliver_outgoing_webhook, "apply_async", run)
    return enqueued


@pytest.fixture
def no_worker(monkeypatch) -> list[tuple]:
    """The delivery task is enqueued but nothing runs it (only the sweep sends)."""
    enqueued: list[tuple] = []
    monkeypatch.setattr(deliver_outgoing_webhook, "apply_async",
                        lambda args, **kwargs: enqueued.append(args))
    return enqueued


def changes(case: Any) -> Any:
    return OutgoingWebhook.objects.filter(case=case, type=outgoing.STATE_CHANGED)


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
        "shop": "demo", "order": case.order.number, "assignee": "agent1"}
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


def test_a_500_is_retried_after_the_backoff_and_delivered_once(
    db, shop, agent, receiver, worker, django_capture_on_commit_callbacks
):
    # given a case, and a shop's receiver that fails once
    case = open_case(shop, by=agent)
    sends_to(shop, receiver.url)
    receiver.answers = [500]

    # when the change is made
    with django_capture_on_commit_callbacks(execute=True):
        step(case, "acknowledge", agent)

    # then the first attempt failed and the next waits 30 seconds (and a little jitter)
    [webhook] = changes(case)
    assert (webhook.state, webhook.attempts) == (DeliveryState.PENDING, 1)
    assert webhook.last_error.startswith("HTTP 500: boom")
    assert len(webhook.last_error) <= 500
    wait = webhook.next_attempt_at - timezone.now()
    assert timedelta(seconds=25) < wait <= timedelta(seconds=33)
    # a sweep before then sends nothing
    assert outgoing.send_due().delivered == 0
    assert len(receiver.requests) == 1

    # and a sweep after it delivers the same event, once
    with time_machine.travel(timezone.now() + timedelta(seconds=40)):
        assert outgoing.send_due().delivered == 1
        assert outgoing.send_due().delivered == 0
    webhook.refresh_from_db()
    assert (webhook.state, webhook.attempts, webhook.last_error) == (DeliveryState.DELIVERED, 2, "")
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["X-Event-Id"] == second.headers["X-Event-Id"]


def test_a_receiver_that_refuses_connections_is_retried_with_growing_waits_then_given_up(
    db, shop, agent, closed_port_url, worker, settings, django_capture_on_commit_callbacks
):
    settings.OUTGOING_WEBHOOK_MAX_ATTEMPTS = 4
    case = open_case(shop, by=agent)
    sends_to(shop, closed_port_url)
    with django_capture_on_commit_callbacks(execute=True):
        step(case, "acknowledge", agent)
    webhook = changes(case).get()

    waits, attempted_at = [], timezone.now()
    while webhook.state == DeliveryState.PENDING:
        assert "refused" in webhook.last_error.lower()
        waits.append(webhook.next_attempt_at - attempted_at)
        attempted_at = webhook.next_attempt_at + timedelta(seconds=1)
        with time_machine.travel(attempted_at):
            outgoing.send_due()
        webhook.refresh_from_db()

    assert (webhook.state, webhook.attempts) == (DeliveryState.FAILED, 4)
    assert [round(w.total_seconds() / 30) for w in waits] == [1, 2, 4]
    # and it is not tried again
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert outgoing.send_due() == outgoing.SendReport()  # nothing attempted
    webhook.refresh_from_db()
    assert webhook.attempts == 4


def test_a_receiver_slower_than_the_timeout_counts_as_a_failure(
    db, shop, agent, receiver, worker, settings, django_capture_on_commit_callbacks
):
    settings.OUTGOING_WEBHOOK_TIMEOUT_SECONDS = 1
    sends_to(shop, receiver.url)
    case = open_case(shop, by=agent)
    receiver.answers = [("sleep", 2)]

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        step(case, "acknowledge", agent)

    assert time.monotonic() - started < 2
    webhook = changes(case).get()
    assert (webhook.state, webhook.attempts) == (DeliveryState.PENDING, 1)
    assert "timed out" in webhook.last_error.lower()


def test_the_backoff_doubles_from_30_seconds_up_to_an_hour_with_a_little_jitter():
    for attempts, seconds in [(1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (20, 3600)]:
        wait = outgoing.backoff(attempts).total_seconds()
        assert seconds <= wait <= seconds * 1.1


def test_a_delivered_webhook_is_never_sent_again(
    db, shop, agent, receiver, no_worker, django_capture_on_commit_callbacks
):
    sends_to(shop, receiver.url)
    case = open_case(shop, by=agent)
    with django_capture_on_commit_callbacks(execute=True):
        step(case, "acknowledge", agent)
    webhook = changes(case).get()
    assert no_worker == [(webhook.pk,)]  # the task takes the id only

    assert outgoing.deliver(webhook.pk) is True
    assert outgoing.deliver(webhook.pk) is False
    assert deliver_outgoing_webhook(webhook.pk) is False

    assert len(receiver.of_type("case.state_changed")) == 1


def test_a_shop_that_removed_its_url_meanwhile_is_not_posted_to(
    db, shop, agent, receiver, no_worker, django_capture_on_commit_callbacks
):
    sends_to(shop, receiver.url)
    case = open_case(shop, by=agent)
    with django_capture_on_commit_callbacks(execute=True):
        step(case, "acknowledge", agent)
    shop.outgoing_webhook_url = ""
    shop.save()

    outgoing.send_due()

    assert receiver.requests == []
    assert "no longer has a URL" in changes(case).get().last_error


def test_two_sweeps_at_once_send_each_change_once(transactional_db, shop, agent, receiver,
                                                  no_worker):
    # given 12 changes waiting, and a receiver that takes a moment for each
    sends_to(shop, receiver.url)
    for _ in range(6):
        walk(open_case(shop, by=agent), agent, "acknowledge")
    receiver.answers = [("sleep", 0.05)] * 12

    # when two sweeps run at once
    reports = twice_at_once(lambda: outgoing.send_due(batch=4))

    # then every change arrived exactly once
    ids = [r.headers["X-Event-Id"] for r in receiver.requests]
    assert len(ids) == len(set(ids)) == 12
    assert sum(r.delivered for r in reports) == 12
    assert OutgoingWebhook.objects.filter(state=DeliveryState.DELIVERED).count() == 12


def test_two_workers_delivering_the_same_webhook_at_once_send_it_once(
    transactional_db, shop, agent, receiver, no_worker
):
    sends_to(shop, receiver.url)
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    webhook = changes(case).get()
    receiver.answers = [("sleep", 0.2)]

    results = twice_at_once(lambda: outgoing.deliver(webhook.pk))

    assert sorted(results) == [False, True]
    assert len(receiver.of_type("case.state_changed")) == 1


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_the_stale_timeout(
    db, shop, agent, receiver, no_worker, django_capture_on_commit_callbacks
):
    case = open_case(shop, by=agent)
    sends_to(shop, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        step(case, "acknowledge", agent)
    changes(case).update(claimed_at=timezone.now())  # a worker claimed it, then died

    assert outgoing.send_due().delivered == 0
    with time_machine.travel(timezone.now() + stale_claim() + timedelta(seconds=5)):
        assert outgoing.send_due().delivered == 1

    assert changes(case).get().state == DeliveryState.DELIVERED


def test_with_the_broker_down_a_transition_still_succeeds_and_the_sweep_sends_it_later(
    db, shop, agent, api, receiver, broker_down, caplog,  # noqa: F811
    django_capture_on_commit_callbacks
):
    case = open_case(shop, by=agent)
    sends_to(shop, receiver.url)

    # when the agent acknowledges the case while the broker is unreachable
    with caplog.at_level(logging.WARNING, logger="config.enqueue"), \
            django_capture_on_commit_callbacks(execute=True):
        response = api(agent).post(f"/api/v1/cases/{case.pk}/transitions/acknowledge/",
                                   {"message": "您好，我们已收到您的申请。"}, format="json")

    # then the user's action succeeded, the failure to enqueue was only logged
    assert response.status_code == 200
    assert "Could not enqueue cases.tasks.deliver_outgoing_webhook" in caplog.text
    assert changes(case).get().state == DeliveryState.PENDING
    # and the beat's sweep sends it, once
    assert send_due_outgoing_webhooks() == 1
    assert send_due_outgoing_webhooks() == 0
    assert len(receiver.requests) == 1


def test_the_management_command_sends_what_is_due_and_says_how_it_went(
    db, shop, agent, receiver, capsys
):
    cases = [open_case(shop, by=agent), open_case(shop, by=agent)]
    sends_to(shop, receiver.url)
    for case in cases:
        step(case, "acknowledge", agent)  # nothing commits in this test: nothing was enqueued
    receiver.answers = [500]

    call_command("send_outgoing_webhooks")

    assert "1 delivered, 1 to retry later, 0 failed" in capsys.readouterr().out


@pytest.mark.services
def test_a_change_reaches_the_shop_through_a_real_worker_and_beat(
    workers, shop, agent, receiver, no_worker  # noqa: F811
):
    # given a committed change (its enqueue went nowhere: only the beat's sweep can send it)
    case = open_case(shop, by=agent)
    sends_to(shop, receiver.url)
    step(case, "acknowledge", agent)
    webhook = changes(case).get()

    # when a worker and beat run (the beat sweeps every second)
    worker = workers(OUTGOING_WEBHOOK_SWEEP_SECONDS="1")
    wait_for(lambda: changes(case).filter(state=DeliveryState.DELIVERED).exists(), 90, worker)
    time.sleep(3)  # a few more sweeps

    # then the shop received it once, signed
    [request] = receiver.requests
    assert request.headers["X-Event-Id"] == str(webhook.event_id)
    assert signature_problem(SECRET, request.headers["X-Signature"], request.body,
                             time.time()) is None
