"""The cache fails open: when Redis cannot be reached, this process's memory stands in for it.

The cache holds only counters of the abuse limits (API throttles, failed API tokens). A Redis outage
must never fail a user's request because of them, so every call that meets a Redis error is answered
from a per-process memory cache instead: the limits then count per process, which is looser but
never refuses a user wrongly. Redis is tried again after `RETRY_AFTER_SECONDS` (2 by default), so
the shared counters come back by themselves once Redis does, with no restart. The outage is logged
once a minute, not per request, and its end once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("config.cache")

LOG_EVERY_SECONDS = 60.0


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache; on a Redis error, the same call on a per-process memory cache."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        self.retry_after = float(params["OPTIONS"].pop("RETRY_AFTER_SECONDS", 2))
        # Redis answers in milliseconds; a server that does not answer must not hold a request.
        params["OPTIONS"].setdefault("socket_connect_timeout", 0.5)
        params["OPTIONS"].setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self.fallback = LocMemCache(f"fail-open-{id(self)}", {
            "TIMEOUT": params.get("TIMEOUT", 300), "KEY_PREFIX": params.get("KEY_PREFIX", ""),
            "VERSION": params.get("VERSION", 1), "OPTIONS": {"MAX_ENTRIES": 100_000},
        })
        self._down_until = 0.0
        self._last_logged = 0.0
        self._lock = threading.Lock()

    @property
    def redis_is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _either(self, name: str, redis_call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self.redis_is_down:
            try:
                answer = redis_call(*args, **kwargs)
            except RedisError as error:
                self._went_down(error)
            else:
                self._came_back()
                return answer
        return getattr(self.fallback, name)(*args, **kwargs)

    def _went_down(self, error: RedisError) -> None:
        now = time.monotonic()
        with self._lock:
            self._down_until = now + self.retry_after
            log_now = now - self._last_logged >= LOG_EVERY_SECONDS or not self._last_logged
            if log_now:
                self._last_logged = now
        if log_now:
            logger.warning("Redis cache unreachable (%s): abuse limits count in this process's "
                           "memory until it is back (logged once a minute).", type(error).__name__)

    def _came_back(self) -> None:
        if self._last_logged:  # an outage was logged: say once that it ended
            self._last_logged = 0.0
            logger.warning("Redis cache reachable again: abuse limits are shared again.")

    def clear(self) -> Any:
        self.fallback.clear()
        return self._either("clear", super().clear)


def _fails_open(name: str) -> Callable[..., Any]:
    def call(self: FailOpenRedisCache, *args: Any, **kwargs: Any) -> Any:
        return self._either(name, getattr(super(FailOpenRedisCache, self), name), *args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


# Every public operation of Django's cache API goes through _either (clear, above, empties both).
for _name in ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many",
              "delete_many"):
    setattr(FailOpenRedisCache, _name, _fails_open(_name))
