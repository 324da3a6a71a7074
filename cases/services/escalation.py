"""The system escalates a case: when one of its deadlines passed, or when the marketplace says so.

A case decision, so it lives with the cases: reminder delivery (notifications/) only tells people
that a deadline passed. The periodic task `cases.tasks.escalate_breached_cases` (beat, every
ESCALATION_SWEEP_SECONDS) reads a bounded batch of cases whose first-response, marketplace or
resolution deadline passed after their last escalation (deadlines.breached_unescalated, by the
next-deadline index) and escalates each in its own transaction: the case row is locked and the breach
checked again under the lock, and the transition's conditional UPDATE (state unchanged) is the
claim, so of two sweeps that read the same case exactly one escalates it; the other finds it
escalated and does nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from cases import deadlines
from cases.models import Case
from cases.services.common import lock_case
from cases.services.transitions import run_transition
from cases.workflows import state_allows, states_allowing
from config.service_errors import ServiceError

log = logging.getLogger(__name__)

BREACH_REASONS = {
    deadlines.FIRST_RESPONSE: gettext_noop("The first-response deadline passed without a reply."),
    deadlines.MARKETPLACE: gettext_noop(
        "The marketplace's deadline passed without the seller's answer."),
    deadlines.RESOLUTION: gettext_noop("The resolution deadline passed."),
}


def escalate_as_system(*, case_id: int, reason: str) -> Case | None:
    """Escalate the case as the system if its workflow allows it from its state now; else None."""
    with transaction.atomic():
        return _escalate_locked(lock_case(case_id), reason)


def escalate_breach(*, case_id: int, now: datetime | None = None) -> Case | None:
    """Escalate the case if a deadline of deadlines.ESCALATING passed since its last escalation."""
    now = now or timezone.now()
    with transaction.atomic():
        case = lock_case(case_id)
        breach = deadlines.breach_to_escalate(case, now)
        if breach is None:
            return None
        return _escalate_locked(case, BREACH_REASONS[breach.name])


def _escalate_locked(case: Case, reason: str) -> Case | None:
    if not state_allows(case, "escalate"):
        return None
    try:
        return run_transition(case_id=case.pk, name="escalate", by=None, data={"reason": reason})
    except ServiceError as error:  # e.g. the input no longer validates: nothing written, said why
        log.info("case %s not escalated: %s", case.pk, error)
        return None


@dataclass
class EscalationReport:
    checked: int = 0
    escalated: list[int] = field(default_factory=list)


def escalate_breached_cases(*, now: datetime | None = None, batch_size: int | None = None,
                            max_batches: int | None = None) -> EscalationReport:
    """Escalate every case with an unescalated breach, in bounded batches, oldest deadline first."""
    now = now or timezone.now()
    batch_size = batch_size or settings.ESCALATION_BATCH_SIZE
    max_batches = max_batches or settings.ESCALATION_MAX_BATCHES
    report, skipped = EscalationReport(), set()
    for _ in range(max_batches):
        ids = list(Case.objects.filter(deadlines.breached_unescalated(now), states_allowing("escalate"))
                   .exclude(pk__in=skipped)
                   .order_by(F("next_due_at").asc(), "pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        for case_id in ids:
            report.checked += 1
            if escalate_breach(case_id=case_id, now=now) is None:
                skipped.add(case_id)  # changed meanwhile (answered, escalated): not read again
            else:
                report.escalated.append(case_id)
    return report
