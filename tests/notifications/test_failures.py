"""What fails does not lose or double a reminder: the broker down, two sweeps at once, commits."""

from __future__ import annotations

import logging
import threading

import pytest
from django.db import connection

from cases import services
from config.celery import app
from notifications.models import Notification, Reminder, ReminderKind, ReminderState
from notifications.sweep import claim_due_reminders, sweep
from notifications.tasks import deliver_reminders, sweep_due_reminders
from tests.factories import open_case, walk
from tests.notifications.helpers import deliver_due, later


@pytest.fixture
def broker_down():
    """Point Celery at a port where no broker listens (as if Redis had stopped), then back."""
    saved = app.conf.broker_url

    def reset_pools() -> None:
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    reset_pools()
    yield
    app.conf.broker_url = saved
    reset_pools()


def test_with_the_broker_down_a_hand_over_still_succeeds_and_the_next_sweep_delivers_it_once(
    db, shop, agent, teammate, supervisor, api, broker_down, caplog, django_capture_on_commit_callbacks
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    # when a supervisor hands the case over while the broker is unreachable
    with caplog.at_level(logging.WARNING, logger="config.enqueue"), \
            django_capture_on_commit_callbacks(execute=True):
        response = api(supervisor).post(f"/api/v1/cases/{case.pk}/transitions/hand_over/",
                                        {"to": "agent2", "reason": "deadlocked"}, format="json")

    # then the user's action succeeded and the failure to enqueue was only logged
    assert response.status_code == 200
    assert "Could not enqueue notifications.tasks.sweep_due_reminders" in caplog.text
    # and once the broker is back, the next sweep delivers the notification, once
    deliver_due()
    deliver_due()
    assert Notification.objects.filter(recipient=teammate, kind=ReminderKind.HANDED_OVER).count() == 1


def test_with_the_broker_down_the_beat_sweep_keeps_its_claims_for_a_later_sweep(
    db, shop, agent, broker_down, django_capture_on_commit_callbacks
):
    walk(open_case(shop, by=agent), agent, "acknowledge")

    with django_capture_on_commit_callbacks(execute=True):
        report = sweep(now=later(hours=69))  # enqueueing the delivery fails: logged, not raised

    assert report.claimed == 1
    # the claim goes stale, and a sweep after the timeout takes it again and delivers it
    deliver_due(now=later(hours=69, minutes=6))
    assert Reminder.objects.get(kind=ReminderKind.DEADLINE_WARNING, state=ReminderState.SENT)
    assert Notification.objects.count() == 1


def test_the_delivery_task_is_enqueued_only_after_the_claim_commits(
    db, shop, agent, django_capture_on_commit_callbacks, monkeypatch
):
    walk(open_case(shop, by=agent), agent, "acknowledge")
    sent = []
    monkeypatch.setattr(deliver_reminders, "apply_async",
                        lambda args, **kw: sent.append(args))

    with django_capture_on_commit_callbacks() as callbacks:
        report = sweep(now=later(hours=69))
        assert sent == []  # nothing left before the commit

    assert len(callbacks) == 1
    callbacks[0]()
    claimed = list(Reminder.objects.filter(state="claimed").values_list("id", flat=True))
    assert sent == [(claimed, report.tokens[0])]


def test_a_hand_over_kicks_a_sweep_only_after_its_transaction_commits(
    db, shop, agent, teammate, supervisor, django_capture_on_commit_callbacks, monkeypatch
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    kicked = []
    monkeypatch.setattr(sweep_due_reminders, "apply_async", lambda **kw: kicked.append(kw))

    with django_capture_on_commit_callbacks() as callbacks:
        services.run_transition(case_id=case.pk, name="hand_over", by=supervisor,
                                data={"to": teammate.username, "reason": "deadlocked"})
    assert kicked == []

    for callback in callbacks:
        callback()
    assert len(kicked) == 1


def twice_at_once(job) -> list:
    """Run `job` in two threads that start together (two schedulers by mistake); their results."""
    barrier = threading.Barrier(2)
    results: list = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(job())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("skip_locked", [True, False])
def test_two_sweeps_at_once_never_claim_the_same_reminder(transactional_db, shop, agent, settings,
                                                         skip_locked):
    settings.REMINDER_CLAIM_SKIP_LOCKED = skip_locked
    for _ in range(30):
        walk(open_case(shop, by=agent), agent, "acknowledge")

    now = later(hours=69)
    claimed = twice_at_once(lambda: claim_due_reminders(now=now, limit=100).ids)

    everything = [pk for ids in claimed for pk in ids]
    assert len(everything) == len(set(everything)) == 30


def test_two_sweeps_delivering_at_once_send_each_reminder_once(transactional_db, shop, agent):
    for _ in range(20):
        walk(open_case(shop, by=agent), agent, "acknowledge")
    now = later(hours=69)

    twice_at_once(lambda: deliver_due(now=now, batch_size=5))

    assert Reminder.objects.filter(state=ReminderState.SENT).count() == 20
    assert Notification.objects.count() == 20


def test_one_transaction_kicks_one_sweep_however_many_notifications_it_makes_due(
    db, shop, agent, teammate, supervisor, django_capture_on_commit_callbacks
):
    from django.db import transaction

    cases = [walk(open_case(shop, by=agent), agent, "acknowledge") for _ in range(3)]

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for case in cases:
            services.run_transition(case_id=case.pk, name="hand_over", by=supervisor,
                                    data={"to": teammate.username, "reason": "deadlocked"})

    assert len(callbacks) == 1
