"""Transitions per second: propose and reject take a case from understood to proposed and back, so
the benchmark can repeat them on the same cases without using the seeded data up."""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from benchmarks.measuring import peak_rss_mb, reset_peak_rss
from cases import services
from cases.models import Case, Kind, State, TimelineEvent
from config.service_errors import Conflict

REMEDY = {Kind.REFUND: "full_refund", Kind.NON_DELIVERY: "reship",
          Kind.NOT_AS_DESCRIBED: "exchange"}


@dataclass(frozen=True)
class Round:
    done: int
    conflicts: int
    seconds: float
    peak_mb: float = 0.0  # the process's peak resident memory during the round


def cases_to_cycle(shop_code: str, count: int) -> list[int]:
    return list(Case.objects.filter(shop__code=shop_code, state=State.UNDERSTOOD)
                .order_by("id").values_list("id", flat=True)[:count])


def run_round(case_ids: list[int], name: str, username: str) -> Round:
    """Run `name` (propose or reject) on each case; a case another process got to first is a
    Conflict (the 409 of the API), counted, never a lost update."""
    by = get_user_model().objects.get(username=username)
    kinds = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "kind"))
    done = conflicts = 0
    reset_peak_rss()
    started = time.perf_counter()
    for case_id in case_ids:
        data: dict[str, Any] = ({"remedy": REMEDY[kinds[case_id]]} if name == "propose"
                                else {"reason": "The buyer wants to think it over."})
        try:
            services.run_transition(case_id=case_id, name=name, by=by, data=data)
            done += 1
        except Conflict:
            conflicts += 1
    return Round(done, conflicts, time.perf_counter() - started, peak_rss_mb())


def _child(queue: Any, case_ids: list[int], name: str, username: str) -> None:
    queue.put(run_round(case_ids, name, username))
    connections.close_all()


def in_processes(lists: list[list[int]], name: str, username: str) -> tuple[list[Round], float]:
    """One process per list, started together (fork: each opens its own connection)."""
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    started = time.perf_counter()
    workers = [context.Process(target=_child, args=(queue, ids, name, username)) for ids in lists]
    for worker in workers:
        worker.start()
    rounds = [queue.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join()
    return rounds, time.perf_counter() - started


def lost_updates(case_ids: list[int], since: Any) -> int:
    """Cases that did not get exactly one `propose` since `since`, or are not proposed now."""
    proposes = {}
    for case_id in TimelineEvent.objects.filter(case_id__in=case_ids, type="propose",
                                                at__gte=since).values_list("case_id", flat=True):
        proposes[case_id] = proposes.get(case_id, 0) + 1
    states = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "state"))
    return sum(1 for case_id in case_ids
               if proposes.get(case_id) != 1 or states[case_id] != State.PROPOSED)


def now() -> Any:
    return timezone.now()
