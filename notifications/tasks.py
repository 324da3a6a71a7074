"""Celery tasks: thin adapters that take ids and call the sweep and the delivery."""

from __future__ import annotations

from celery import shared_task

from notifications.delivery import deliver_reminders as deliver
from notifications.sweep import sweep


@shared_task(name="notifications.tasks.sweep_due_reminders")
def sweep_due_reminders() -> int:
    """The periodic sweep (beat, every minute): claims due reminders, enqueues their delivery."""
    return sweep().claimed


@shared_task(name="notifications.tasks.deliver_reminders")
def deliver_reminders(reminder_ids: list[int], token: str) -> int:
    """Deliver one claimed batch. Safe to run twice: a spent claim token does nothing."""
    return deliver(reminder_ids, token).delivered
