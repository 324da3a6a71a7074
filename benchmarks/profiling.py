"""Where a request's time goes: its CPU time per request, the Python function calls it makes (a
count that does not move with the machine's load), and the share of its CPU time spent in each
part, from cProfile with a CPU clock (manage.py bench_profile)."""

from __future__ import annotations

import cProfile
import pstats
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# (what, file the function is in, the function): the parts whose time is summed.
Part = tuple[str, str, str]

QUEUE_PARTS: list[Part] = [
    ("template rendering (the page, its 50 rows, the filter form)", "django/shortcuts.py",
     "render"),
    ("— of which the filter form's widgets (a template per option)",
     "django/forms/boundfield.py", "as_widget"),
    ("the rows' query and their model instances (case, order, buyer, assignee, shop)",
     "django/core/paginator.py", "__len__"),
    ("formatting the rows in Python (queue_rows: deadlines, money, durations)",
     "cases/pages/queue.py", "queue_rows"),
    ("session and user (2 queries)", "django/contrib/auth/middleware.py", "get_user"),
    ("the user's roles and shops (2 queries)", "cases/permissions.py", "roles_of"),
    ("the unread bell (1 query)", "notifications/pages.py", "bell"),
    ("CSP header", "csp/middleware.py", "process_response"),
]
API_PARTS: list[Part] = [
    ("serializing 50 cases (DRF fields)", "rest_framework/serializers.py", "to_representation"),
    ("— of which the deadlines of each case", "cases/api/serializers.py", "get_deadlines"),
    ("the rows' query and their model instances (case, order, buyer, assignee, shop)",
     "django/core/paginator.py", "__len__"),
    ("the count of all that match", "django/core/paginator.py", "count"),
    ("the visible cases' condition (roles, shops)", "cases/selectors.py", "case_list"),
    ("session and user (2 queries)", "django/contrib/auth/middleware.py", "get_user"),
    ("throttling (the cache)", "rest_framework/views.py", "check_throttles"),
    ("CSP header", "csp/middleware.py", "process_response"),
]


@dataclass(frozen=True)
class Profile:
    name: str
    cpu_ms: float  # CPU time per request, unprofiled
    calls: int  # Python function calls per request
    shares: list[tuple[str, float]]  # (part, share of the request's CPU time under the profiler)


def profile(name: str, request: Callable[[], Any], parts: list[Part], *, runs: int) -> Profile:
    for _ in range(3):
        request()  # warm: connections, templates, caches
    started = time.process_time()
    for _ in range(runs):
        request()
    cpu_ms = (time.process_time() - started) * 1000 / runs
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(runs):
        request()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt or 1.0
    entries = stats.stats  # type: ignore[attr-defined]
    shares = []
    for label, path, function in parts:
        spent = max((cumulative for (file, _line, func), (_cc, _nc, _tt, cumulative, _callers)
                     in entries.items() if file.endswith(path) and func == function), default=0.0)
        shares.append((label, spent / total))
    return Profile(name, cpu_ms, stats.total_calls // runs, shares)  # type: ignore[attr-defined]


def table(profile: Profile) -> list[str]:
    rows = [f"| {label} | {share:.0%} |" for label, share in profile.shares]
    return [f"**{profile.name}**: {profile.cpu_ms:.1f} ms of CPU per request, "
            f"{profile.calls:,} Python function calls per request.", "",
            "| part | share of the CPU time |", "| --- | ---: |", *rows]
