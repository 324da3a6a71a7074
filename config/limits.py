"""Abuse limits counted in the cache: at most N requests in ANY span of the period, never more.

A sliding window of counters: the period is cut into six buckets and a request is counted in its
bucket with the cache's atomic `incr` (so requests from many processes never overwrite each other's
counts, as a read-modify-write history does). A request is allowed when its bucket and the six before
it hold no more than N; that window is always at least the period long, so no span of the period ever
holds more than N allowed requests. A refused request takes its count back, so a client that keeps
trying is let through again as soon as its older requests leave the window.

The cache is Redis shared by every process, or this process's memory when Redis is down
(config/cache.py): a limit never fails a request.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache

BUCKETS = 6
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'1200/min', '10/m', '60/hour', '5/s' (DRF's notation)."""
        number, _, period = text.partition("/")
        try:
            return cls(int(number), _UNITS[period.strip()[:1]])
        except (ValueError, KeyError):
            raise ValueError(f"{text!r} is not a rate like 1200/min or 10/m.") from None

    @property
    def bucket_seconds(self) -> int:
        return max(1, math.ceil(self.seconds / BUCKETS))


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until a request would be allowed again (0 when allowed)


def _bucket_keys(key: str, rate: Rate, now: float) -> list[str]:
    current = int(now // rate.bucket_seconds)
    return [f"limit:{key}:{rate.seconds}:{bucket}" for bucket in range(current - BUCKETS, current + 1)]


def _retry_after(counts: dict[str, int], keys: list[str], rate: Rate, now: float) -> int:
    """When the oldest bucket that still holds requests leaves the window."""
    for age, bucket_key in enumerate(keys):
        if counts.get(bucket_key):
            leaves_at = (int(now // rate.bucket_seconds) + age + 1) * rate.bucket_seconds
            return max(1, math.ceil(leaves_at - now))
    return rate.bucket_seconds


def hit(key: str, rate: Rate, *, now: float | None = None) -> Verdict:
    """Count one request under `key`; allowed when the window holds at most `rate.count`."""
    now = time.time() if now is None else now
    keys = _bucket_keys(key, rate, now)
    current = keys[-1]
    expires = rate.seconds + 2 * rate.bucket_seconds
    cache.add(current, 0, timeout=expires)
    try:
        count = cache.incr(current)
    except ValueError:  # the bucket expired between add and incr
        cache.set(current, 1, timeout=expires)
        count = 1
    counts = {k: v for k, v in cache.get_many(keys[:-1]).items() if v}
    if count + sum(counts.values()) <= rate.count:
        return Verdict(True, 0)
    with contextlib.suppress(ValueError):
        cache.decr(current)
    counts[current] = count - 1
    return Verdict(False, _retry_after(counts, keys, rate, now))


def peek(key: str, rate: Rate, *, now: float | None = None) -> Verdict:
    """Whether one more request under `key` would be allowed now, without counting anything."""
    now = time.time() if now is None else now
    keys = _bucket_keys(key, rate, now)
    counts = {k: v for k, v in cache.get_many(keys).items() if v}
    if sum(counts.values()) < rate.count:
        return Verdict(True, 0)
    return Verdict(False, _retry_after(counts, keys, rate, now))
