"""Rows claimed by a worker (reminder batches, outgoing webhooks, evidence pack builds): a claim whose
worker did not finish within STALE_CLAIM_SECONDS is taken again by the next sweep. One setting for
every claim."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings


def stale_claim() -> timedelta:
    return timedelta(seconds=settings.STALE_CLAIM_SECONDS)


def stale_before(now: datetime) -> datetime:
    """A claim made before this moment is stale."""
    return now - stale_claim()
