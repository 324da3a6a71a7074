"""The sweep: claim due reminders in bounded batches, atomically, and hand them to delivery.

A claim is a conditional UPDATE (`… SET state='claimed', claim_token=… WHERE state='pending' AND
id IN (the next due ids)`): of two sweeps that pick the same rows, the second one's UPDATE finds
them claimed already and takes nothing, on PostgreSQL and on SQLite alike. A claim that was never
completed (the worker died) is taken again after STALE_CLAIM_SECONDS.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from config.claims import stale_claim
from config.enqueue import enqueue_on_commit
from notifications.models import Reminder, ReminderState


@dataclass(frozen=True)
class Claim:
    token: str
    ids: list[int]


@dataclass
class SweepReport:
    batches: int = 0
    claimed: int = 0
    delivered: int = 0
    cancelled: int = 0
    rescheduled: int = 0
    failed: int = 0
    tokens: list[str] = field(default_factory=list)


def _next(qs: QuerySet[Reminder], limit: int) -> list[int]:
    """The ids to claim, read first (a bounded list), then claimed by a conditional UPDATE.

    Not one `UPDATE … WHERE id IN (SELECT … LIMIT n)`: PostgreSQL may rescan such a subquery and
    then update more than n rows.
    """
    if settings.REMINDER_CLAIM_SKIP_LOCKED and connection.vendor == "postgresql":
        # Two sweeps at once take different rows instead of waiting for each other.
        qs = qs.select_for_update(skip_locked=True)
    return list(qs.values_list("id", flat=True)[:limit])


def claim_due_reminders(*, now: datetime | None = None, limit: int = 500,
                        stale_after: timedelta | None = None, case_id: int | None = None) -> Claim:
    """Claim up to `limit` reminders: first stale claims, then due pending ones, most overdue first.

    `case_id`: only that case's reminders (the demo's story delivers each case's reminders when
    they came due, demo/story_clock.py); the beat's sweep takes every case's."""
    now = now or timezone.now()
    stale_after = stale_after or stale_claim()
    token = uuid.uuid4().hex
    with transaction.atomic():
        reminders = Reminder.objects.all() if case_id is None else Reminder.objects.filter(
            case_id=case_id)
        stale = reminders.filter(state=ReminderState.CLAIMED,
                                 claimed_at__lt=now - stale_after).order_by("claimed_at")
        taken = Reminder.objects.filter(
            pk__in=_next(stale, limit), state=ReminderState.CLAIMED,
            claimed_at__lt=now - stale_after,
        ).update(claim_token=token, claimed_at=now)
        if taken < limit:
            due = reminders.filter(state=ReminderState.PENDING, due_at__lte=now).order_by(
                "due_at", "id")
            Reminder.objects.filter(pk__in=_next(due, limit - taken),
                                    state=ReminderState.PENDING).update(
                state=ReminderState.CLAIMED, claim_token=token, claimed_at=now)
    ids = list(Reminder.objects.filter(state=ReminderState.CLAIMED, claim_token=token)
               .order_by("due_at", "id").values_list("id", flat=True))
    return Claim(token, ids)


def sweep(*, now: datetime | None = None, batch_size: int | None = None,
          max_batches: int | None = None,
          deliver: Callable[[Claim], object] | None = None,
          case_id: int | None = None) -> SweepReport:
    """Claim due reminders batch by batch (at most `max_batches`) and deliver each batch.

    `deliver=None`: each batch goes to the Celery delivery task, enqueued after the claim commits
    (the beat's sweep). Otherwise `deliver(claim)` runs in this process (send_due_reminders).
    `case_id`: only that case's reminders.
    """
    batch_size = batch_size or settings.REMINDER_BATCH_SIZE
    max_batches = max_batches or settings.REMINDER_MAX_BATCHES
    report = SweepReport()
    for _ in range(max_batches):
        with transaction.atomic():
            claim = claim_due_reminders(now=now, limit=batch_size, case_id=case_id)
            if not claim.ids:
                break
            if deliver is None:
                enqueue_on_commit("notifications.tasks.deliver_reminders", claim.ids, claim.token)
        report.batches += 1
        report.claimed += len(claim.ids)
        report.tokens.append(claim.token)
        if deliver is not None:
            outcome = deliver(claim)
            for name in ("delivered", "cancelled", "rescheduled", "failed"):
                setattr(report, name, getattr(report, name) + getattr(outcome, name, 0))
        if len(claim.ids) < batch_size:
            break
    return report
