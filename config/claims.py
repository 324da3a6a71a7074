"""Rows that workers claim, deliver, and retry with a backoff: one engine for reminders
(notifications/sweep.py, delivery.py) and outgoing webhooks (cases/outgoing.py).

A row of such a table has a state (pending, claimed, then what the work made of it), a time it is
due, `claimed_at`, `claim_token`, `attempts` and `last_error`.

- `claim_due(queue, …)`: a conditional UPDATE (`… SET state='claimed', claim_token=… WHERE
  state='pending' AND id IN (the next due ids)`): of two workers that pick the same rows, the second
  one's UPDATE finds them claimed already and takes nothing, on PostgreSQL and on SQLite alike. A
  claim never completed (the worker died) is taken again after STALE_CLAIM_SECONDS, one setting for
  every claim (evidence pack builds use it too).
- `claim_one(queue, pk)`: the same for one row, just before slow work on it (a POST); `due_ids`
  lists the rows to take so, one by one.
- `complete(queue, ids, token, …)`: the claimed rows' work was done; only the claim's holder can say so.
- `release(queue, ids, token, …)`: the claimed rows are let go without an attempt (cancelled, or
  due again later).
- `retry_later(queue, row, token, …)`: the work failed: pending again after `backoff`, or given up
  after `max_attempts`, with the error.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone


def stale_claim() -> timedelta:
    return timedelta(seconds=settings.STALE_CLAIM_SECONDS)


def stale_before(now: datetime) -> datetime:
    """A claim made before this moment is stale."""
    return now - stale_claim()


def backoff(attempts: int, *, first: timedelta, most: timedelta = timedelta(hours=1),
            jitter: float = 0.0) -> timedelta:
    """How long to wait after the n-th failed attempt of a claimed row: `first`, doubling, at most
    `most`, plus up to `jitter` of it (so that receivers that were down are not hit all at once)."""
    base = min(first * 2 ** max(attempts - 1, 0), most)
    return base + base * random.uniform(0, jitter) if jitter else base


@dataclass(frozen=True)
class Queue:
    """A table whose rows workers claim: which field says when a row is due, which states mean
    waiting, being worked on and given up, and how a failure is retried."""

    model: type[models.Model]
    due: str = "due_at"
    first_retry: timedelta = timedelta(minutes=1)
    jitter: float = 0.0
    pending: str = "pending"
    claimed: str = "claimed"
    failed: str = "failed"

    @property
    def rows(self) -> QuerySet:
        return self.model._default_manager.all()


@dataclass(frozen=True)
class Claim:
    token: str
    ids: list[int]


def _next(qs: QuerySet, limit: int) -> list[int]:
    """The ids to claim, read first (a bounded list), then claimed by a conditional UPDATE.

    Not one `UPDATE … WHERE id IN (SELECT … LIMIT n)`: PostgreSQL may rescan such a subquery and
    then update more than n rows.
    """
    if settings.REMINDER_CLAIM_SKIP_LOCKED and connection.vendor == "postgresql":
        # Two workers at once take different rows instead of waiting for each other.
        qs = qs.select_for_update(skip_locked=True)
    return list(qs.values_list("id", flat=True)[:limit])


def claim_due(queue: Queue, *, limit: int, now: datetime | None = None,
              rows: QuerySet | None = None, stale_after: timedelta | None = None) -> Claim:
    """Claim up to `limit` rows (of `rows`, by default the whole table): first stale claims, then
    due pending ones, most overdue first. The claim's ids, in the order they fell due."""
    now = now or timezone.now()
    stale_after = stale_after or stale_claim()
    rows = queue.rows if rows is None else rows
    order = (queue.due, "id")
    token = uuid.uuid4().hex
    with transaction.atomic():
        stale = rows.filter(state=queue.claimed, claimed_at__lt=now - stale_after).order_by(
            "claimed_at")
        taken = queue.rows.filter(
            pk__in=_next(stale, limit), state=queue.claimed, claimed_at__lt=now - stale_after,
        ).update(claim_token=token, claimed_at=now)
        if taken < limit:
            due = rows.filter(state=queue.pending, **{f"{queue.due}__lte": now}).order_by(*order)
            queue.rows.filter(pk__in=_next(due, limit - taken), state=queue.pending).update(
                state=queue.claimed, claim_token=token, claimed_at=now)
    ids = list(queue.rows.filter(state=queue.claimed, claim_token=token).order_by(*order)
               .values_list("id", flat=True))
    return Claim(token, ids)


def claim_one(queue: Queue, pk: int, *, now: datetime | None = None) -> Claim:
    """Claim one row if it is due (or its claim is stale): one conditional UPDATE, so of two workers
    only the one whose UPDATE changed the row has it (a row whose work is slow, such as a POST, is
    claimed just before it, never in a batch that waits behind the others)."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    taken = queue.rows.filter(
        Q(state=queue.pending, **{f"{queue.due}__lte": now})
        | Q(state=queue.claimed, claimed_at__lt=stale_before(now)), pk=pk,
    ).update(state=queue.claimed, claim_token=token, claimed_at=now)
    return Claim(token, [pk] if taken else [])


def due_ids(queue: Queue, *, limit: int, now: datetime | None = None) -> list[int]:
    """The next rows to claim one by one (`claim_one`), read without a lock: due pending rows and
    stale claims, in the order they fell due (a bounded list)."""
    now = now or timezone.now()
    return list(queue.rows.filter(
        Q(state=queue.pending, **{f"{queue.due}__lte": now})
        | Q(state=queue.claimed, claimed_at__lt=stale_before(now)),
    ).order_by(queue.due, "id").values_list("id", flat=True)[:limit])


def complete(queue: Queue, ids: list[int], token: str, *, state: str, **fields: Any) -> int:
    """The work of these claimed rows is done (only while this claim holds them): how many."""
    return queue.rows.filter(pk__in=ids, claim_token=token, state=queue.claimed).update(
        state=state, claim_token="", attempts=F("attempts") + 1, **fields)


def release(queue: Queue, ids: list[int], token: str, *, state: str, **fields: Any) -> int:
    """Give these claimed rows up without an attempt (cancelled, or due again later): how many."""
    return queue.rows.filter(pk__in=ids, claim_token=token).update(
        state=state, claim_token="", claimed_at=None, **fields)


def retry_later(queue: Queue, pk: int, token: str, *, attempts: int, error: str,
                max_attempts: int, now: datetime) -> str:
    """The n-th attempt failed: pending again after the backoff, or given up after `max_attempts`
    (the due time left as it was). The row's new state."""
    gave_up = attempts >= max_attempts
    fields = {} if gave_up else {queue.due: now + backoff(
        attempts, first=queue.first_retry, jitter=queue.jitter)}
    state = queue.failed if gave_up else queue.pending
    queue.rows.filter(pk=pk, claim_token=token).update(
        state=state, attempts=attempts, last_error=error, claim_token="", claimed_at=None,
        **fields)
    return state
