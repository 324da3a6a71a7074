"""Enqueueing Celery tasks after the transaction commits, without ever failing the user's action.

Celery's `delay_on_commit` registers the same `transaction.on_commit` callback, but an exception in
it (the broker is down) would propagate out of the committed request and turn it into a 500. Here a
broker failure is logged: the reminder rows are already committed, and the next sweep delivers them.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction

log = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args: Any, marker: str = "") -> None:
    def send() -> None:
        try:
            task.apply_async(args=args, retry=False)
        except Exception:  # the broker is unreachable: the rows wait for the next sweep
            log.warning("Could not enqueue %s; the next sweep will pick its work up.", task.name,
                        exc_info=True)

    if marker:
        setattr(send, marker, True)
    transaction.on_commit(send)


def kick_sweep() -> None:
    """Run a sweep soon after commit instead of waiting for the beat (a notification due now).

    One kick per transaction, however many notifications it makes due.
    """
    from notifications.tasks import sweep_due_reminders

    connection = transaction.get_connection()
    if any(getattr(callback, "kicks_sweep", False) for _sids, callback, _robust
           in connection.run_on_commit):
        return
    enqueue_on_commit(sweep_due_reminders, marker="kicks_sweep")
