"""Enqueueing Celery tasks after the transaction commits, without ever failing the user's action.

Shared plumbing: the case services (outgoing webhooks) and the reminders both enqueue this way.
Celery's `delay_on_commit` registers the same `transaction.on_commit` callback, but an exception in
it (the broker is down) would propagate out of the committed request and turn it into a 500. Here a
broker failure is logged: the rows are already committed, and the next periodic sweep picks them up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from celery import Task
from django.db import transaction

log = logging.getLogger(__name__)

# One quick second try on a fresh connection: after the broker came back, the first publish may meet
# the connection the outage broke. With the broker down both fail fast (a refused connection), and
# the user's request goes on.
RETRY_ONCE = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}


@dataclass(frozen=True)
class Held:
    """An enqueue a commit made inside `held()`: the task's dotted name and its arguments."""

    task: str
    args: tuple[Any, ...]


_HELD: ContextVar[list[Held] | None] = ContextVar("enqueues_held", default=None)


@contextmanager
def held() -> Iterator[list[Held]]:
    """Inside, what a commit would enqueue is kept in the list given, in order, instead of sent:
    for a command that commits hundreds of small transactions and then enqueues once what they
    need (the demo's seeding). A transaction rolled back keeps nothing, as it would send nothing.
    """
    kept: list[Held] = []
    token = _HELD.set(kept)
    try:
        yield kept
    finally:
        _HELD.reset(token)


def enqueue_on_commit(task: Task | str, *args: Any, once: str = "") -> None:
    """Enqueue `task(*args)` after the current transaction commits (at once outside one).

    `task`: the task, or its dotted path ("notifications.tasks.sweep_due_reminders"), imported when
    the transaction commits: the services name their tasks, so the tasks modules, which call the
    services, are not imported by them (dependencies run one way).
    `once`: a name for this enqueue; a second call with the same name in the same transaction adds
    nothing (e.g. one sweep kicked however many notifications the transaction made due).
    """
    if once and any(getattr(callback, "enqueue_once", None) == once for callback in pending_on_commit()):
        return

    def send() -> None:
        name = task if isinstance(task, str) else task.name
        kept = _HELD.get()
        if kept is not None:  # held(): the caller enqueues what is needed
            kept.append(Held(name, args))
            return
        try:
            _task(task).apply_async(args=args, retry=True, retry_policy=RETRY_ONCE)
        except Exception:  # the broker is unreachable: the rows wait for the next sweep
            log.warning("Could not enqueue %s; the next sweep will pick its work up.", name, exc_info=True)

    send.enqueue_once = once  # type: ignore[attr-defined]
    transaction.on_commit(send)


def _task(task: Task | str) -> Task:
    if not isinstance(task, str):
        return task
    module, name = task.rsplit(".", 1)
    return getattr(import_module(module), name)


def pending_on_commit() -> list[Callable[[], Any]]:
    """The callbacks registered with `on_commit` in the current transaction, oldest first.

    Django has no public way to list them: it keeps them in `connection.run_on_commit` as
    (savepoint ids, callback, robust). This is the one place that reads it;
    tests/architecture/test_library_adapters.py fails if an upgrade changes that.
    """
    return [callback for _sids, callback, _robust in transaction.get_connection().run_on_commit]
