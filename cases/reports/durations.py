"""Duration figures (resolution, closing and first-response time): count, median, 90th percentile,
mean and the share that met its deadline, per group, computed in the database.

Percentiles are PostgreSQL's `percentile_cont`: linear interpolation between the closest ranks (the
p-quantile of n sorted values is at position 1 + p·(n − 1)). On PostgreSQL the aggregate itself
runs; on SQLite the same definition is computed with window functions, so both give the same
numbers. Cases are never loaded into Python: only one row per group comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Extract, TruncWeek

from cases.models import Case as CaseRow
from cases.models import Shop


@dataclass(frozen=True)
class Metric:
    start: str
    end: str
    deadline: str | None


METRICS = {
    "resolution-time": Metric("opened_at", "resolved_at", "resolution_due_at"),
    "closing-time": Metric("opened_at", "closed_at", None),
    "first-response-time": Metric("opened_at", "first_responded_at", "first_response_due_at"),
}
GROUPS = {"kind": "kind", "agent": "assignee__username", "shop": "shop__code", "week": None}
ALL = "all"


@dataclass(frozen=True)
class Row:
    group: str
    count: int
    median_hours: float | None
    p90_hours: float | None
    mean_hours: float | None
    met_deadline_share: float | None

    def as_dict(self) -> dict[str, Any]:
        return {"group": self.group, "count": self.count, "median_hours": self.median_hours,
                "p90_hours": self.p90_hours, "mean_hours": self.mean_hours,
                "met_deadline_share": self.met_deadline_share}


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(p) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, percentile: float, **extra: Any) -> None:
        super().__init__(expression, percentile=float(percentile), **extra)


def in_range(cases: QuerySet[CaseRow], end: str, since: date | None, until: date | None,
             shops: list[Shop]) -> QuerySet[CaseRow]:
    """`since` inclusive, `until` exclusive, by the date the end event happened in each shop's
    time zone (one condition per shop, so it needs no time-zone support from the database)."""
    if since is None and until is None:
        return cases
    return cases.filter(range_condition(end, since, until, shops))


def range_condition(end: str, since: date | None, until: date | None, shops: list[Shop],
                    shop_field: str = "shop_id") -> Q:
    """The condition of `in_range` on its own (`shop_field`: the path to the shop's id from the
    rows filtered, e.g. case__shop_id for contacts); no bounds: every row."""
    if since is None and until is None:
        return Q()
    rule = Q(pk__in=[])
    for shop in shops:
        tz = ZoneInfo(shop.time_zone)
        bounds = Q(**{shop_field: shop.pk})
        if since is not None:
            bounds &= Q(**{f"{end}__gte": datetime.combine(since, time(), tzinfo=tz)})
        if until is not None:
            bounds &= Q(**{f"{end}__lt": datetime.combine(until, time(), tzinfo=tz)})
        rule |= bounds
    return rule


def duration_rows(cases: QuerySet[CaseRow], metric: str, group_by: str,
                  week_tz: str | None = None) -> list[Row]:
    """The figures of `metric` for the cases (already filtered), one Row per group."""
    m = METRICS[metric]
    done = cases.filter(**{f"{m.end}__isnull": False})
    if group_by == "week":
        tz = ZoneInfo(week_tz or settings.TIME_ZONE)
        done = done.annotate(grp=TruncWeek(m.end, tzinfo=tz))
    elif group_by == ALL:  # one row for all the cases (the team's value beside each agent's)
        done = done.annotate(grp=Value(ALL, output_field=CharField()))
    else:
        done = done.annotate(grp=F(GROUPS[group_by]))
    met = (Case(When(**{f"{m.end}__lte": F(m.deadline)}, then=Value(1.0)), default=Value(0.0),
                output_field=FloatField()) if m.deadline else Value(None, output_field=FloatField()))
    found = _postgresql(done, m, met) if connection.vendor == "postgresql" else _windowed(done, m, met)
    if group_by == "week":  # the week's Monday, as a date (SQLite hands back text)
        found = [Row(r.group[:10], *list(r.as_dict().values())[1:]) for r in found]
    return found


def _hours_pg(m: Metric) -> Any:
    interval = ExpressionWrapper(F(m.end) - F(m.start), output_field=DurationField())
    return Extract(interval, "epoch") / 3600.0


def _postgresql(done: QuerySet[CaseRow], m: Metric, met: Any) -> list[Row]:
    hours = _hours_pg(m)
    rows = done.values("grp").annotate(
        n=Count("id"), median=PercentileCont(hours, 0.5), p90=PercentileCont(hours, 0.9),
        mean=Avg(hours), met=Avg(met) if m.deadline else Value(None, output_field=FloatField()),
    ).order_by("grp")
    return [_row(r["grp"], r["n"], r["median"], r["p90"], r["mean"], r["met"]) for r in rows]


def _windowed(done: QuerySet[CaseRow], m: Metric, met: Any) -> list[Row]:
    """percentile_cont by ranks, with window functions (SQLite; the same numbers as PostgreSQL)."""
    inner = done.annotate(
        dur=ExpressionWrapper(F(m.end) - F(m.start), output_field=DurationField()), ok=met,
    ).values("grp", "dur", "ok")
    sql, params = inner.query.sql_with_params()
    wrapped = f"""
        WITH d AS (SELECT grp, dur / 3600000000.0 AS h, ok FROM ({sql}) AS base),
        r AS (SELECT grp, h, ok,
                     ROW_NUMBER() OVER (PARTITION BY grp ORDER BY h) AS rn,
                     COUNT(*) OVER (PARTITION BY grp) AS n
              FROM d)
        SELECT grp, n, AVG(h), AVG(ok),
               {ranked_quantile(0.5)}, {ranked_quantile(0.9)}
        FROM r GROUP BY grp, n ORDER BY grp
    """
    with connection.cursor() as cursor:
        cursor.execute(wrapped, params)
        found = cursor.fetchall()
    return [_row(grp, n, median, p90, mean, ok) for grp, n, mean, ok, median, p90 in found]


def ranked_quantile(p: float) -> str:
    """percentile_cont(p) over the ranked rows of a group: between ranks floor(pos) and the next."""
    pos = f"(1 + {p} * (n - 1))"
    low = f"CAST({pos} AS INTEGER)"
    return (f"(MAX(CASE WHEN rn = {low} THEN h END) + ({pos} - {low}) * "
            f"(COALESCE(MAX(CASE WHEN rn = {low} + 1 THEN h END), MAX(CASE WHEN rn = {low} THEN h "
            f"END)) - MAX(CASE WHEN rn = {low} THEN h END)))")


def _row(group: Any, n: int, median: Any, p90: Any, mean: Any, met: Any) -> Row:
    def hours(value: Any) -> float | None:
        return None if value is None else round(float(value), 4)

    if isinstance(group, datetime):
        group = group.date().isoformat()
    elif isinstance(group, date):
        group = group.isoformat()
    return Row(str(group) if group is not None else "", n, hours(median), hours(p90), hours(mean),
               None if met is None else round(float(met), 4))
