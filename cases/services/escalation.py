"""The system escalates cases whose deadline passed without an answer or a resolution."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from cases.errors import CaseError
from cases.models import Case, State
from cases.models.dispute import BEFORE_RESOLUTION
from cases.services.transitions import run_transition

log = logging.getLogger(__name__)

FIRST_RESPONSE_MISSED = gettext_noop("The first-response deadline passed without a reply.")
RESOLUTION_MISSED = gettext_noop("The resolution deadline passed.")


def overdue_cases(*, now: datetime, limit: int) -> list[tuple[int, bool]]:
    """(case id, whether it missed its first response) for up to `limit` overdue cases."""
    # Each breach escalates once: a case already escalated after its deadline passed (then, say,
    # given a proposal by the supervisor) is not escalated again until a new deadline passes.
    not_escalated_since_due = Q(escalated_at__isnull=True) | Q(
        escalated_at__lt=F("resolution_due_at")
    )
    overdue = Q(state=State.NEW, first_responded_at__isnull=True, first_response_due_at__lt=now) | (
        Q(state__in=BEFORE_RESOLUTION, resolution_due_at__lt=now) & not_escalated_since_due
    )
    rows = (Case.objects.filter(overdue).order_by("resolution_due_at", "id")
            .values_list("id", "state", "first_responded_at", "first_response_due_at")[:limit])
    return [(pk, state == State.NEW and answered is None and due < now)
            for pk, state, answered, due in rows]


def escalate_overdue_cases(*, now: datetime | None = None, limit: int = 200) -> int:
    """Escalate up to `limit` overdue cases, each in its own transaction; returns how many.

    Safe to run twice or in two workers at once: a case already escalated is skipped.
    """
    now = now or timezone.now()
    escalated = 0
    for case_id, missed_first in overdue_cases(now=now, limit=limit):
        reason = FIRST_RESPONSE_MISSED if missed_first else RESOLUTION_MISSED
        try:
            run_transition(case_id=case_id, name="escalate", by=None,
                           data={"reason": reason})
        except CaseError as error:
            log.info("case %s not escalated: %s", case_id, error)
            continue
        escalated += 1
    return escalated
