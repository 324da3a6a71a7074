"""The Celery path, with a real worker on the configured broker (Redis in CI, files otherwise)."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from cases import services
from cases.models import Case, State
from cases.services import escalate_overdue_cases as sweep
from cases.tasks import escalate_overdue_cases
from config.celery import app
from tests.factories import open_case, reach_buyer, walk


@pytest.fixture
def worker_queue(transactional_db):
    """A real worker thread consuming a queue of its own, so no other worker takes our tasks."""
    queue = f"test-{uuid.uuid4().hex[:10]}"
    with start_worker(app, perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        yield queue


def wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def make_overdue(case: Case, **deadlines: timedelta) -> None:
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(**{k: now - v for k, v in deadlines.items()})


def test_a_real_worker_escalates_a_case_nobody_answered_in_time(worker_queue, shop, agent):
    # given a new case whose first-response deadline passed an hour ago
    case = open_case(shop, by=None)
    make_overdue(case, first_response_due_at=timedelta(hours=1))

    # when the periodic sweep runs on the worker
    escalate_overdue_cases.apply_async(queue=worker_queue)

    # then the system escalated it, with the reason on the timeline
    assert wait_for(lambda: Case.objects.get(pk=case.pk).state == State.ESCALATED)
    event = case.timeline.get(type="escalate")
    assert event.actor is None
    assert "first-response deadline" in event.data["reason"]


def test_the_sweep_run_twice_escalates_each_case_once(db, shop, agent):
    overdue = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")
    make_overdue(overdue, resolution_due_at=timedelta(minutes=5))
    on_time = walk(open_case(shop, by=agent), agent, "acknowledge")

    assert sweep() == 1
    assert sweep() == 0

    assert Case.objects.get(pk=overdue.pk).state == State.ESCALATED
    assert overdue.timeline.filter(type="escalate").count() == 1
    assert Case.objects.get(pk=on_time.pk).state == State.ACKNOWLEDGED


def test_the_sweep_leaves_answered_and_resolved_cases_alone(db, shop, agent):
    answered = walk(open_case(shop, by=agent), agent, "acknowledge")
    make_overdue(answered, first_response_due_at=timedelta(hours=2))
    resolved = walk(open_case(shop, by=agent), agent,
                    "acknowledge", "calm", "listen", "propose", "accept")
    make_overdue(resolved, resolution_due_at=timedelta(hours=2))

    assert sweep() == 0


def test_the_sweep_takes_a_bounded_batch(db, shop, agent):
    for _ in range(3):
        make_overdue(open_case(shop, by=None), first_response_due_at=timedelta(hours=1))

    assert sweep(limit=2) == 2
    assert sweep(limit=2) == 1


def test_a_breach_escalates_once_even_after_the_supervisor_proposes_a_remedy(db, shop, agent,
                                                                              supervisor):
    # given a case escalated by the sweep after its resolution deadline passed
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")
    make_overdue(case, resolution_due_at=timedelta(hours=1))
    assert sweep() == 1

    # when the supervisor proposes a remedy from the escalation
    walk(case, supervisor, "propose")

    # then the same breach does not escalate it again
    assert sweep() == 0
    assert Case.objects.get(pk=case.pk).state == State.PROPOSED


def test_a_hand_over_gives_the_new_agent_a_fresh_resolution_clock(db, shop, agent, teammate,
                                                                 supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    make_overdue(case, resolution_due_at=timedelta(hours=1))
    assert sweep() == 1

    handed = services.run_transition(case_id=case.pk, name="hand_over", by=supervisor,
                                     data={"to": teammate.username, "reason": "deadlocked"})

    assert handed.resolution_due_at > timezone.now()
    assert sweep() == 0
    assert Case.objects.get(pk=case.pk).state == State.ACKNOWLEDGED


def test_a_reopened_case_gets_a_fresh_resolution_clock(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent,
                "acknowledge", "calm", "listen", "propose", "accept")
    reach_buyer(case, agent)
    case = walk(case, agent, "close")
    make_overdue(case, resolution_due_at=timedelta(days=3))

    reopened = walk(case, agent, "reopen")

    assert reopened.resolution_due_at > timezone.now()
    assert sweep() == 0


def test_a_review_case_whose_buyer_was_called_in_time_is_not_escalated_for_first_response(
    db, shop, agent
):
    from tests.reviews.factories import open_review_case

    called = open_review_case(shop, agent)
    services.log_contact(case_id=called.pk, by=agent, data={
        "channel": "call", "direction": "outbound", "outcome": "no_answer"})
    make_overdue(called, first_response_due_at=timedelta(hours=1))
    ignored = open_review_case(shop, agent)
    make_overdue(ignored, first_response_due_at=timedelta(hours=1))

    assert sweep() == 1
    assert Case.objects.get(pk=called.pk).state == State.NEW
    assert Case.objects.get(pk=ignored.pk).state == State.ESCALATED
