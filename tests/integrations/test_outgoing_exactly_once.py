"""Outgoing webhooks are sent once: by two sweeps or two workers at once, after a worker died, with
the broker down, and through a real worker and beat."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from cases import outgoing
from cases.models import DeliveryState, OutgoingWebhook
from cases.signatures import signature_problem
from cases.tasks import deliver_outgoing_webhook, send_due_outgoing_webhooks
from config.claims import stale_claim
from tests.factories import open_case, step, walk
from tests.integrations.shop_receiver import SECRET, changes, sends_to
from tests.notifications.test_celery_worker import wait_for, workers  # noqa: F401
from tests.notifications.test_failures import broker_down, twice_at_once  # noqa: F401


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
    changes(case).update(state=DeliveryState.CLAIMED, claim_token="dead",  # a worker claimed it,
                         claimed_at=timezone.now())  # then died

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
