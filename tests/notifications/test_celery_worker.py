"""The Celery path for real: a worker and beat as processes, on the configured broker (Redis in CI,
the file broker otherwise), against the test database."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from cases.models import Case
from notifications.models import DeliveryAttempt, Notification, Reminder, ReminderState
from tests.factories import open_case
from tests.processes import Worker

pytestmark = pytest.mark.services


@pytest.fixture
def workers(transactional_db, tmp_path) -> Iterator[Callable[..., Worker]]:
    queue = f"test-{uuid.uuid4().hex[:10]}"
    started: list[Worker] = []

    def start(**env: str) -> Worker:
        worker = Worker(tmp_path, queue, **env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(predicate: Callable[[], bool], timeout: float, worker: Worker) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker.process.poll() is not None:
            pytest.fail(f"the worker stopped:\n{worker.output()}")
        time.sleep(0.3)
    states = dict(Reminder.objects.values_list("state").annotate(n=Count("id")))
    pytest.fail(f"not done within {timeout} s (reminders: {states}); the worker said:\n"
                f"{worker.output()}")


def handed_over_reminders(case: Case, count: int, due_in: timedelta) -> list[Reminder]:
    due = timezone.now() + due_in
    return Reminder.objects.bulk_create([
        Reminder(case=case, kind="handed_over", audience="assignee", due_at=due,
                 idempotency_key=f"test:{case.pk}:{n}:{uuid.uuid4().hex}")
        for n in range(count)
    ])


def test_a_reminder_due_in_a_few_seconds_arrives_once_through_a_real_worker_and_beat(
    workers, shop, agent
):
    # given a reminder for the agent, due in three seconds
    case = open_case(shop, by=None)
    Case.objects.filter(pk=case.pk).update(assignee=agent)
    [reminder] = handed_over_reminders(case, 1, timedelta(seconds=3))

    # when a worker and beat run (beat sweeps every second)
    worker = workers()
    wait_for(lambda: Notification.objects.filter(reminder=reminder).exists(), 90, worker)
    time.sleep(4)  # a few more sweeps

    # then it arrived once, and is sent
    assert Notification.objects.filter(reminder=reminder).count() == 1
    assert Notification.objects.get(reminder=reminder).recipient == agent
    assert Reminder.objects.get(pk=reminder.pk).state == ReminderState.SENT


def test_a_worker_killed_in_the_middle_of_a_batch_delivers_everything_exactly_once_after_restart(
    workers, shop, agent
):
    # given 30 reminders due now, and a channel that takes a quarter of a second each
    case = open_case(shop, by=None)
    Case.objects.filter(pk=case.pk).update(assignee=agent)
    reminders = handed_over_reminders(case, 30, timedelta(0))
    slow = {"NOTIFICATION_CHANNELS": "tests.notifications.slow_channel.SlowChannel"}
    sent_slowly = DeliveryAttempt.objects.filter(channel="slow", outcome="sent")

    # when the worker is killed part way through the batch
    first = workers(**slow)
    wait_for(lambda: sent_slowly.count() >= 5, 90, first)
    first.kill()
    assert sent_slowly.count() < 30
    assert Reminder.objects.filter(state=ReminderState.CLAIMED, kind="handed_over").exists()

    # and a new worker takes the stale claim over
    second = workers(**slow, STALE_CLAIM_SECONDS="2")
    ours = Reminder.objects.filter(pk__in=[r.pk for r in reminders])
    wait_for(lambda: not ours.exclude(state=ReminderState.SENT).exists(), 120, second)

    # then every reminder reached the agent exactly once, on every channel
    assert Notification.objects.filter(reminder__in=reminders).count() == 30
    per_channel = DeliveryAttempt.objects.filter(outcome="sent").values(
        "notification", "channel").annotate(n=Count("id"))
    assert {row["n"] for row in per_channel} == {1}
    assert sent_slowly.count() == 30
