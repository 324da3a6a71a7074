"""Rows claimed by a worker (reminder batches, outgoing webhooks, evidence pack builds): a claim whose
worker did not finish within STALE_CLAIM_SECONDS is taken again by the next sweep. One setting for
every claim."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.conf import settings


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
