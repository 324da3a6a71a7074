"""The buyers' satisfaction (CSAT) from the surveys: per agent, kind or week, and per agent for
the scorecard.

`sent`: surveys that reached the buyer (sent, or answered); `answered` and `response_rate` (of the
sent); `mean_rating`; `satisfied_share`: 4 or 5 stars of the answered; `low`: 1 or 2 stars. The
agent is the case's assignee; the week is the Monday of the week the survey was sent (the server's
time zone, or the shop's when the report is for one shop). One query, grouped in the database.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek

from cases.models import Case, Shop, Survey, SurveyState
from cases.reports.durations import range_condition

GROUPS = {"agent": "case__assignee__username", "kind": "case__kind", "week": "week"}
REACHED = (SurveyState.SENT, SurveyState.ANSWERED)


def _figures(rows: QuerySet) -> QuerySet:
    return rows.annotate(
        sent=Count("id"),
        answered=Count("id", filter=Q(state=SurveyState.ANSWERED)),
        mean_rating=Avg("rating"),
        satisfied=Count("id", filter=Q(rating__gte=4)),
        low=Count("id", filter=Q(rating__lte=2)),
    )


def _row(group: Any, r: dict[str, Any]) -> dict[str, Any]:
    answered = r["answered"]
    return {
        "group": group, "sent": r["sent"], "answered": answered,
        "response_rate": round(answered / r["sent"], 3) if r["sent"] else None,
        "mean_rating": round(float(r["mean_rating"]), 2) if r["mean_rating"] is not None else None,
        "satisfied_share": round(r["satisfied"] / answered, 3) if answered else None,
        "low": r["low"],
    }


def _surveys(cases: QuerySet[Case], since: date | None, until: date | None,
             tz: ZoneInfo) -> QuerySet[Survey]:
    surveys = Survey.objects.filter(case__in=cases.values("pk"), state__in=REACHED)
    if since:
        surveys = surveys.filter(sent_at__gte=datetime.combine(since, time(0), tzinfo=tz))
    if until:
        surveys = surveys.filter(sent_at__lt=datetime.combine(until, time(0), tzinfo=tz))
    return surveys


def satisfaction(cases: QuerySet[Case], group_by: str = "agent", *, since: date | None = None,
                 until: date | None = None, week_tz: str | None = None) -> list[dict[str, Any]]:
    """One row per agent (username, null for nobody), kind or week."""
    tz = ZoneInfo(week_tz or settings.TIME_ZONE)
    surveys = _surveys(cases, since, until, tz)
    if group_by == "week":
        surveys = surveys.annotate(week=TruncWeek("sent_at", tzinfo=tz))
    key = GROUPS.get(group_by, GROUPS["agent"])
    rows = _figures(surveys.order_by().values(key)).order_by(key)
    found = []
    for r in rows:
        group = r[key]
        if isinstance(group, datetime):
            group = group.date().isoformat()
        found.append(_row(group, r))
    return found


def satisfaction_breakdown(cases: QuerySet[Case], *, since: date | None = None,
                           until: date | None = None, week_tz: str | None = None
                           ) -> dict[str, list[dict[str, Any]]]:
    """The rows of `satisfaction` per agent, per kind and per week at once (the report page's
    three tables), from one query grouped by all three and added up here."""
    tz = ZoneInfo(week_tz or settings.TIME_ZONE)
    surveys = _surveys(cases, since, until, tz).annotate(week=TruncWeek("sent_at", tzinfo=tz))
    keys = {"agent": GROUPS["agent"], "kind": GROUPS["kind"], "week": "week"}
    rows = (surveys.order_by().values(*keys.values())
            .annotate(sent=Count("id"), answered=Count("id", filter=Q(state=SurveyState.ANSWERED)),
                      rating_sum=Sum("rating"), satisfied=Count("id", filter=Q(rating__gte=4)),
                      low=Count("id", filter=Q(rating__lte=2))))
    sums: dict[str, dict[Any, dict[str, Any]]] = {group: {} for group in keys}
    for r in rows:
        for group, key in keys.items():
            value = r[key].date().isoformat() if group == "week" else r[key]
            total = sums[group].setdefault(value, dict.fromkeys(
                ("sent", "answered", "rating_sum", "satisfied", "low"), 0))
            for name in total:
                total[name] += r[name] or 0
    return {group: [_row(value, {**t, "mean_rating": t["rating_sum"] / t["answered"]
                                 if t["answered"] else None})
                    for value, t in sorted(found.items(), key=lambda item: (
                        item[0] is None, item[0] or ""))]
            for group, found in sums.items()}


def agent_satisfaction(cases: QuerySet[Case], *, since: date | None = None,
                       until: date | None = None, shops: list[Shop] | None = None
                       ) -> dict[str, dict[str, int]]:
    """For the agent scorecard: per assignee's username, the surveys of `cases` sent in
    [since, until) (days in each shop's time zone; the server's without `shops`), as parts that
    add up over agents: `surveys_sent`, `surveys_answered`, `rating_sum`. One query; an agent with
    no survey is left out. scorecard.satisfaction_figures turns the parts into the figures."""
    surveys = Survey.objects.filter(case__in=cases.values("pk"), state__in=REACHED)
    if shops is None:
        surveys = _surveys(cases, since, until, ZoneInfo(settings.TIME_ZONE))
    else:
        surveys = surveys.filter(range_condition("sent_at", since, until, shops,
                                                 shop_field="case__shop_id"))
    rows = (surveys.order_by().values("case__assignee__username")
            .annotate(surveys_sent=Count("id"),
                      surveys_answered=Count("id", filter=Q(state=SurveyState.ANSWERED)),
                      rating_sum=Sum("rating")))
    return {r.pop("case__assignee__username"): {k: v or 0 for k, v in r.items()} for r in rows}
