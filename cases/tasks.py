"""Celery tasks: thin adapters that take ids and call cases.outgoing (the row is the truth)."""

from __future__ import annotations

from celery import shared_task

from cases import outgoing


@shared_task(name="cases.tasks.deliver_outgoing_webhook")
def deliver_outgoing_webhook(webhook_id: int) -> bool:
    """One attempt, enqueued after the change commits. Safe to run twice: the row is claimed."""
    return outgoing.deliver(webhook_id)


@shared_task(name="cases.tasks.send_due_outgoing_webhooks")
def send_due_outgoing_webhooks() -> int:
    """The periodic sweep (beat, every minute): retries due rows and picks up missed enqueues."""
    return outgoing.send_due().delivered
