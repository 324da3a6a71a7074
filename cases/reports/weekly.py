"""The report page's weekly series: per ISO week (from Monday, in the shops' time zone), the time to
resolve and to the first reply (cases, median, 9 in 10 within; by the week the case was resolved
or answered), the refund rate and the share of negative reviews revised (of the cases opened that
week: a cohort); and over the whole range, the remedies chosen and the reviews' causes.

A fixed number of queries whatever the number of weeks or cases: each series is one aggregate
grouped by week (durations.py's exact percentiles), the remedies are added up from the outcomes'
weekly mix, the causes are one more GROUP BY.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count

from cases.reports import figures
from cases.reports.durations import Row, duration_rows
from cases.reports.queries import report_cases
from cases.selectors import UNKNOWN_CAUSE

# Weeks shown at most (a longer range shows its last weeks).
MOST_WEEKS = 104


@dataclass
class Weekly:
    weeks: list[date]
    resolution: dict[date, Row] = field(default_factory=dict)
    first_response: dict[date, Row] = field(default_factory=dict)
    refund_rate: dict[date, float | None] = field(default_factory=dict)
    revised_share: dict[date, float | None] = field(default_factory=dict)
    opened: dict[date, int] = field(default_factory=dict)
    reviews: dict[date, int] = field(default_factory=dict)
    remedies: dict[str, int] = field(default_factory=dict)
    causes: dict[str, int] = field(default_factory=dict)
    week_tz: str | None = None
    # The outcomes per group when asked for (outcomes_by): the same pass over the cases.
    outcomes: list[dict[str, Any]] = field(default_factory=list)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_between(first: date, last: date) -> list[date]:
    """The Mondays of the weeks from the one of `first` to the one of `last`, both included."""
    start, end = monday_of(first), monday_of(last)
    weeks = [start + timedelta(weeks=n) for n in range((end - start).days // 7 + 1)]
    return weeks[-MOST_WEEKS:]


def weekly_series(*, by: Any, params: Any, today: date, outcomes_by: str | None = None
                  ) -> Weekly:
    """The weekly series for the report's filters (shop, kind, agent, since, until; `group_by`
    is ignored). With `outcomes_by` (a group of the reports, already validated), also the
    outcomes report's rows by that group, from the pass that counts the refunds per week. Raises
    InvalidInput for a bad filter, as every report does."""
    params = params.copy()
    params["group_by"] = "week"
    q, resolved = report_cases(by, params, "resolved_at")
    _q, answered = report_cases(by, params, "first_responded_at")
    _q, opened = report_cases(by, params, "opened_at")
    tz = q["week_tz"]
    series = Weekly(weeks=[], week_tz=tz)
    for row in duration_rows(resolved, "resolution-time", "week", week_tz=tz):
        series.resolution[date.fromisoformat(row.group)] = row
    for row in duration_rows(answered, "first-response-time", "week", week_tz=tz):
        series.first_response[date.fromisoformat(row.group)] = row
    remedies: Counter[str] = Counter()
    if outcomes_by:
        series.outcomes, refunds = figures.outcomes_and_refunds(opened, outcomes_by, week_tz=tz)
    else:
        refunds = figures.refunds(opened, "week", week_tz=tz)
    for row in refunds:
        week = date.fromisoformat(row["group"])
        series.refund_rate[week] = row["refund_rate"]
        series.opened[week] = row["cases"]
        remedies.update(row["remedy_mix"])
    for row in figures.reviews(opened, "week", week_tz=tz):
        week = date.fromisoformat(row["group"])
        series.revised_share[week] = row["revised_share"]
        series.reviews[week] = row["cases"]
    series.remedies = dict(remedies.most_common())
    causes = (figures.reviewed(opened).values_list("review__cause").annotate(n=Count("id"))
              .order_by("-n", "review__cause"))
    series.causes = {cause or UNKNOWN_CAUSE: n for cause, n in causes}
    seen = [*series.resolution, *series.first_response, *series.opened]
    first = q.get("since") or min(seen, default=today)
    last = (q["until"] - timedelta(days=1)) if q.get("until") else today
    series.weeks = weeks_between(first, max(last, first))
    return series
