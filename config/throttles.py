"""The API's request limits per user (or token) and per anonymous address, as DRF throttles.

DRF's own throttles keep a history list per client and write it back after reading it: requests that
arrive together in several processes overwrite each other's entries and more get through than the
rate (1,280 in 60 s against 1,200/min was measured). These keep DRF's rates, scopes and keys and
count with config/limits.py instead: atomic, and never more than the rate in any span of the period.
"""

from __future__ import annotations

from typing import Any

from rest_framework import throttling
from rest_framework.request import Request

from config import limits


class _SlidingWindow:
    """Mixin for DRF's SimpleRateThrottle subclasses: the same key and rate, counted exactly."""

    _retry_after: int = 0

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        verdict = limits.hit(key, limits.Rate(self.num_requests, self.duration))
        self._retry_after = verdict.retry_after
        return verdict.allowed

    def wait(self) -> float | None:
        return self._retry_after or None


class UserRateThrottle(_SlidingWindow, throttling.UserRateThrottle):
    """API_RATE_USER per signed-in user (an integration's token acts as its user)."""


class AnonRateThrottle(_SlidingWindow, throttling.AnonRateThrottle):
    """API_RATE_ANONYMOUS per client address, for requests without a user."""


class SurveyRateThrottle(_SlidingWindow, throttling.AnonRateThrottle):
    """SURVEY_RATE per client address, for everyone: the buyer's public survey page has no users."""

    scope = "survey"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
