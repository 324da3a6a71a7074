"""Celery tasks: thin adapters around the services."""

from celery import shared_task
from django.conf import settings

from cases.services import escalate_overdue_cases as escalate_overdue


@shared_task(name="cases.tasks.escalate_overdue_cases")
def escalate_overdue_cases() -> int:
    return escalate_overdue(limit=settings.ESCALATION_BATCH_SIZE)
