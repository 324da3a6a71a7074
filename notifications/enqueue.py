"""Kicking a reminder sweep after commit, once per transaction (config/enqueue.py does the enqueue)."""

from __future__ import annotations

from config.enqueue import enqueue_on_commit


def kick_sweep() -> None:
    """Run a sweep soon after commit instead of waiting for the beat (a notification due now).

    One kick per transaction, however many notifications it makes due.
    """
    enqueue_on_commit("notifications.tasks.sweep_due_reminders", once="kick-sweep")
