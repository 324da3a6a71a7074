"""The shop's own clock: a deadline policy per shop and kind of case, with defaults.

A case's resolution clock starts when it is opened and starts again when a supervisor hands it to
another agent or the case is reopened: the new agent gets the full time to calm, listen and resolve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cases.models.case import Kind
from cases.models.deadline import DeadlinePolicy

if TYPE_CHECKING:
    from cases.models import Case, Shop

# (first response, resolution) when the shop has no policy for the kind: after-sales runs on
# longer clocks than pre-sale chat (DOMAIN.md).
DEFAULT_DEADLINES: dict[str, tuple[timedelta, timedelta]] = {
    Kind.REFUND: (timedelta(hours=24), timedelta(hours=72)),
    Kind.NON_DELIVERY: (timedelta(hours=36), timedelta(days=5)),
    Kind.NOT_AS_DESCRIBED: (timedelta(hours=24), timedelta(days=5)),
    # A bad review: reach the buyer within a day, settle it within a week.
    Kind.NEGATIVE_REVIEW: (timedelta(hours=24), timedelta(days=7)),
}
FALLBACK = (timedelta(hours=24), timedelta(days=5))


@dataclass(frozen=True)
class Clock:
    first_response: timedelta
    resolution: timedelta

    def start(self, case: Case, opened_at: datetime) -> None:
        case.first_response_due_at = opened_at + self.first_response
        case.resolution_due_at = opened_at + self.resolution

    def restart_resolution(self, case: Case, now: datetime) -> None:
        case.resolution_due_at = now + self.resolution


def clock_for(shop: Shop, kind: str) -> Clock:
    """The shop's policy for this kind (one query), or the default. Take it once for a batch."""
    policy = DeadlinePolicy.objects.filter(shop=shop, kind=kind).only(
        "first_response", "resolution").first()
    if policy is not None:
        return Clock(policy.first_response, policy.resolution)
    return Clock(*DEFAULT_DEADLINES.get(kind, FALLBACK))


def set_initial_deadlines(case: Case, opened_at: datetime) -> None:
    clock_for(case.shop, case.kind).start(case, opened_at)


def restart_resolution_clock(case: Case, now: datetime) -> None:
    clock_for(case.shop, case.kind).restart_resolution(case, now)
