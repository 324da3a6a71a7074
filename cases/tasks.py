"""Celery tasks: thin adapters that take ids and call the case services (the rows are the truth)."""

from __future__ import annotations

from celery import shared_task

from cases import outgoing
from cases.services.escalation import escalate_breached_cases as escalate_breached
from cases.services.evidence_packs import build_requested_pack, build_waiting_packs
from cases.services.surveys import send_scheduled_surveys as send_scheduled
from cases.services.vectors import represent_cases as represent


@shared_task(name="cases.tasks.deliver_outgoing_webhook")
def deliver_outgoing_webhook(webhook_id: int) -> bool:
    """One attempt, enqueued after the change commits. Safe to run twice: the row is claimed."""
    return outgoing.deliver(webhook_id)


@shared_task(name="cases.tasks.send_due_outgoing_webhooks")
def send_due_outgoing_webhooks() -> int:
    """The periodic sweep (beat, every minute): retries due rows and picks up missed enqueues."""
    return outgoing.send_due().delivered


@shared_task(name="cases.tasks.escalate_breached_cases")
def escalate_breached_cases() -> int:
    """The periodic sweep (beat, every minute): the system escalates cases whose deadline passed."""
    return len(escalate_breached().escalated)


@shared_task(name="cases.tasks.build_evidence_pack")
def build_evidence_pack(pack_id: int) -> bool:
    """Build a pack too large to stream in a request; safe to run twice (the row is claimed)."""
    return build_requested_pack(pack_id)


@shared_task(name="cases.tasks.build_waiting_evidence_packs")
def build_waiting_evidence_packs() -> int:
    """The periodic sweep (beat, every minute): packs whose task was lost or whose worker died."""
    return build_waiting_packs()


@shared_task(name="cases.tasks.represent_cases")
def represent_cases(case_ids: list[int]) -> int:
    """The vectors of cases' buyer texts (after a case opens or a buyer writes); safe to run twice."""
    return represent(case_ids)
@shared_task(name="cases.tasks.send_scheduled_surveys")
def send_scheduled_surveys() -> int:
    """The periodic sweep (beat, every minute): surveys held back by the buyer's quiet hours."""
    return send_scheduled()
