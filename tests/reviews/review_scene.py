"""What the review workflow's tests share: the shop's time zone, and what a refused step must leave
as it was."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from cases.models import Case, Contact, TimelineEvent
from reviews.models import Review

SHANGHAI = ZoneInfo("Asia/Shanghai")


def written(case: Case) -> tuple[Any, ...]:
    """Everything a refused step must leave as it was."""
    return (
        Case.objects.values_list("state", "assignee_id", "calmed_at", "core_problem",
                                 "chosen_remedy", "remedy_amount", "resolved_at").get(pk=case.pk),
        Review.objects.values_list("cause", "revision_requested_at", "revised_rating",
                                   "public_reply").get(case=case),
        Contact.objects.count(),
        TimelineEvent.objects.count(),
    )


def state_of(case: Case) -> str:
    return Case.objects.get(pk=case.pk).state
