"""The shop's own clock (per-kind defaults; per-shop policies come with reminders).

A case's resolution clock starts when it is opened and starts again when a supervisor hands it to
another agent or the case is reopened: the new agent gets the full time to calm, listen and resolve.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cases.models.case import Kind

if TYPE_CHECKING:
    from cases.models import Case

# (first response, resolution): after-sales runs on longer clocks than pre-sale chat (DOMAIN.md).
DEFAULT_DEADLINES: dict[str, tuple[timedelta, timedelta]] = {
    Kind.REFUND: (timedelta(hours=24), timedelta(hours=72)),
    Kind.NON_DELIVERY: (timedelta(hours=36), timedelta(days=5)),
    Kind.NOT_AS_DESCRIBED: (timedelta(hours=24), timedelta(days=5)),
    # A bad review: reach the buyer within a day, settle it within a week.
    Kind.NEGATIVE_REVIEW: (timedelta(hours=24), timedelta(days=7)),
}
FALLBACK = (timedelta(hours=24), timedelta(days=5))


def set_initial_deadlines(case: Case, opened_at: datetime) -> None:
    first_response, resolution = DEFAULT_DEADLINES.get(case.kind, FALLBACK)
    case.first_response_due_at = opened_at + first_response
    case.resolution_due_at = opened_at + resolution


def restart_resolution_clock(case: Case, now: datetime) -> None:
    _first_response, resolution = DEFAULT_DEADLINES.get(case.kind, FALLBACK)
    case.resolution_due_at = now + resolution
