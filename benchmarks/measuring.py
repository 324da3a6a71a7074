"""Measuring the app against the floor: each figure is the median and max over repeated runs, its
query count, its peak Python memory, and the same rows fetched by one hand-written SQL query through
the same connection (the floor), so the framework's overhead reads as a ratio."""

from __future__ import annotations

import contextlib
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Figure:
    name: str
    median_ms: float
    max_ms: float
    queries: int
    peak_mb: float
    floor_ms: float | None = None
    note: str = ""

    @property
    def ratio(self) -> str:
        return "—" if not self.floor_ms else f"{self.median_ms / self.floor_ms:.1f}×"

    def row(self) -> str:
        floor = "—" if self.floor_ms is None else f"{self.floor_ms:.1f}"
        return (f"| {self.name} | {self.median_ms:.1f} | {self.max_ms:.1f} | {self.queries} | "
                f"{floor} | {self.ratio} | {self.peak_mb:.1f} | {self.note} |")


HEADER = ["| what | median ms | max ms | queries | SQL floor ms | × floor | peak MB | note |",
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()  # warm: connections, caches, templates
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def measure(name: str, fn: Callable[[], Any], *, runs: int, floor_sql: str | None = None,
            floor_params: list[Any] | dict[str, Any] | None = None, note: str = "") -> Figure:
    timings = timed(fn, runs)
    with CaptureQueriesContext(connection) as captured:
        fn()
    # Counted now: the next request empties the connection's query log the slice reads from.
    queries = len(captured)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    floor = None
    if floor_sql is not None:
        floor = statistics.median(timed(lambda: _fetch(floor_sql, floor_params or []), runs))
    return Figure(name, statistics.median(timings), max(timings), queries, peak / 2**20,
                  floor, note)


def _fetch(sql: str, params: list[Any] | dict[str, Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def reset_peak_rss() -> None:
    """Linux: start the process's peak resident memory again from its current size, so that the
    peak read next is that of what ran since (elsewhere it includes everything before)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mb() -> float:
    """The process's peak resident memory, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def settle() -> None:
    """After a bulk load, before measuring: the planner's statistics, and on PostgreSQL the
    visibility map too (VACUUM), as autovacuum leaves a table that has been in use for a while.
    Without it, an index-only scan still reads every row's page (a COUNT over one shop's 20,000
    cases took 208 ms instead of 6 ms at 1,000,000 cases, right after seed_bench). Inside a
    transaction (a test's), where VACUUM cannot run, only the statistics."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
