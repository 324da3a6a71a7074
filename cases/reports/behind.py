"""The cases behind a figure of the report page: the report's own selection (reports.queries:
the same filters, the same range by the same moment) narrowed by the queue's one filter selector
(selectors.filter_queue) to the bar, row or figure clicked, so the list holds exactly the cases
the figure counted.

    figure=resolution-time&week=2026-11-23&kind=refund   the refunds resolved that week
    figure=backlog&state=calmed&age=1_to_3_days           open, calmed, opened 1 to 3 days ago
    figure=outcomes&remedy=partial_refund                 opened in the range, partly refunded
    figure=reviews&cause=logistics                        negative reviews caused by logistics
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases import selectors
from cases.models import Case, Remedy, State
from cases.reports import figures
from cases.reports.durations import METRICS
from cases.reports.queries import report_cases
from cases.selectors import AGE_BUCKETS, UNKNOWN_CAUSE, Within
from config.service_errors import InvalidInput

# Each figure and the moment its cases are counted by (the durations by their end, the rest by
# the day the case opened: a cohort).
FIGURES = {
    "resolution-time": "resolved_at", "first-response-time": "first_responded_at",
    "closing-time": "closed_at", "deadlines": "opened_at", "backlog": "opened_at",
    "outcomes": "opened_at", "reviews": "opened_at",
}
assert {name: METRICS[name].end for name in METRICS} == {n: FIGURES[n] for n in METRICS}


def review_causes() -> list[tuple[str, str]]:
    """A review's causes and their names (read through the case's relation: cases does not
    import the reviews app), and "unknown" for a review whose cause is not found yet."""
    cause = Case._meta.get_field("review").related_model._meta.get_field("cause")
    return [*cause.choices, (UNKNOWN_CAUSE, _("Not found yet"))]


class Figure(serializers.Serializer):
    """What was clicked: the figure and its bar, row or slice."""

    figure = serializers.ChoiceField(choices=list(FIGURES))
    week = serializers.DateField(required=False, help_text=_("the week's Monday"))
    state = serializers.ChoiceField(choices=State.choices, required=False)
    age = serializers.ChoiceField(choices=[name for name, _low, _high in AGE_BUCKETS],
                                  required=False)
    remedy = serializers.ChoiceField(choices=Remedy.choices, required=False)
    cause = serializers.ChoiceField(choices=[], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = review_causes()

    def validate_week(self, week: Any) -> Any:
        if week.weekday() != 0:
            raise serializers.ValidationError(_("A week starts on a Monday."))
        return week


def cases_behind(*, by: Any, params: Any) -> tuple[dict[str, Any], QuerySet[Case]]:
    """The figure asked for (validated) and exactly the cases it counted; InvalidInput with the
    reason for a bad parameter."""
    figure = Figure(data=params)
    if not figure.is_valid():
        raise InvalidInput(figure.errors)
    f = figure.validated_data
    moment = FIGURES[f["figure"]]
    q, cases = report_cases(by, params, moment)
    if f["figure"] == "reviews" or f.get("cause"):
        cases = figures.reviewed(cases)
    within = None
    if f.get("week"):
        tz = ZoneInfo(q["week_tz"] or settings.TIME_ZONE)
        monday = datetime.combine(f["week"], time(), tzinfo=tz)
        within = Within(moment, monday, datetime.combine(f["week"] + timedelta(weeks=1), time(),
                                                         tzinfo=tz))
    elif moment != "opened_at":
        within = Within(moment, None, None)  # only the cases that reached it
    cases = selectors.filter_queue(
        cases, by, open_only=f["figure"] == "backlog",
        states=[f["state"]] if f.get("state") else [], age=f.get("age", ""),
        remedy=f.get("remedy", ""), cause=f.get("cause", ""), within=within)
    return {**q, **f}, cases
