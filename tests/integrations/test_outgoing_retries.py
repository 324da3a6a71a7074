"""Outgoing webhooks that fail: retried with a backoff, given up on after the last attempt, every
POST an attempt row (the claim and the backoff of config/claims.py, as for reminders)."""

from __future__ import annotations

import time
from datetime import timedelta

import time_machine
from django.utils import timezone

from cases import outgoing
from cases.models import DeliveryState
from cases.outgoing import OUTGOING
from config import claims
from config.claims import Queue
from notifications.models import Outcome as Sent
from notifications.sweep import REMINDERS
from tests.factories import open_case, step
from tests.integrations.shop_receiver import changes, sends_to


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


def test_every_post_is_an_attempt_row_with_how_it_went(
    db, shop, agent, receiver, worker, django_capture_on_commit_callbacks
):
    # given a receiver that fails once
    case = open_case(shop, by=agent)
    sends_to(shop, receiver.url)
    receiver.answers = [500]

    # when the change is sent, and sent again after the backoff
    with django_capture_on_commit_callbacks(execute=True):
        step(case, "acknowledge", agent)
    with time_machine.travel(timezone.now() + timedelta(seconds=40)):
        outgoing.send_due()

    # then each POST is a row: the failure with its reason, then the delivery
    webhook = changes(case).get()
    tries = list(webhook.tries.values_list("channel", "outcome", "error"))
    assert [(channel, outcome) for channel, outcome, _error in tries] == [
        ("webhook", Sent.FAILED), ("webhook", Sent.SENT)]
    assert tries[0][2].startswith("HTTP 500") and tries[1][2] == ""
    assert webhook.attempts == len(tries)


def test_a_webhook_and_a_reminder_are_claimed_and_retried_by_the_same_engine():
    # one claim, one stale-claim setting, one backoff: only the first wait and the jitter differ
    assert isinstance(OUTGOING, Queue) and isinstance(REMINDERS, Queue)
    assert (OUTGOING.due, OUTGOING.first_retry, REMINDERS.first_retry) == (
        "next_attempt_at", timedelta(seconds=30), timedelta(minutes=1))
    assert [claims.backoff(n, first=REMINDERS.first_retry).total_seconds() / 60
            for n in (1, 2, 3, 7, 8)] == [1, 2, 4, 60, 60]
