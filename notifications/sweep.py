"""The sweep: claim due reminders in bounded batches, atomically, and hand them to delivery.

The claim is the one every claimed row takes (config/claims.py, outgoing webhooks too): a
conditional UPDATE, so of two sweeps that pick the same rows the second takes nothing; a claim that
was never completed (the worker died) is taken again after STALE_CLAIM_SECONDS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from config.claims import Claim, Queue, claim_due
from config.enqueue import enqueue_on_commit
from notifications.models import Reminder

__all__ = ["REMINDERS", "Claim", "SweepReport", "claim_due_reminders", "sweep"]

# The reminders as rows workers claim (config/claims.py): due at `due_at`, a failed delivery
# retried after 1, 2, 4, 8 … minutes (at most an hour).
REMINDERS = Queue(Reminder, due="due_at", first_retry=timedelta(minutes=1))


@dataclass
class SweepReport:
    batches: int = 0
    claimed: int = 0
    delivered: int = 0
    cancelled: int = 0
    rescheduled: int = 0
    failed: int = 0
    tokens: list[str] = field(default_factory=list)


def claim_due_reminders(*, now: datetime | None = None, limit: int = 500,
                        stale_after: timedelta | None = None, case_id: int | None = None) -> Claim:
    """Claim up to `limit` reminders: first stale claims, then due pending ones, most overdue first.

    `case_id`: only that case's reminders (the demo's story delivers each case's reminders when
    they came due, demo/story_clock.py); the beat's sweep takes every case's."""
    rows = None if case_id is None else Reminder.objects.filter(case_id=case_id)
    return claim_due(REMINDERS, limit=limit, now=now, rows=rows, stale_after=stale_after)


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
