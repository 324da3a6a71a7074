"""Time in state: how long cases stay in each state, from the timeline (where cases wait).

Each stay runs from the event that entered a state to the next event that changed the state; the
stay a case is in now is not counted (it has not ended). Median and p90 are percentile_cont, as for
the durations: the aggregate on PostgreSQL, window functions on SQLite.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from cases.models import Case
from cases.reports.durations import ranked_quantile


def time_in_state(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    ids_sql, params = cases.order_by().values("id").query.sql_with_params()  # no sort in IN
    if connection.vendor == "postgresql":
        hours = "EXTRACT(EPOCH FROM (left_at - at)) / 3600.0"
        figures = ("percentile_cont(0.5) WITHIN GROUP (ORDER BY h), "
                   "percentile_cont(0.9) WITHIN GROUP (ORDER BY h)")
        ranked = "stays"
        group = "GROUP BY grp"
    else:
        hours = "(julianday(left_at) - julianday(at)) * 24.0"
        figures = f"{ranked_quantile(0.5)}, {ranked_quantile(0.9)}"
        ranked = """(SELECT grp, h, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY h) AS rn,
                            COUNT(*) OVER (PARTITION BY grp) AS n FROM stays)"""
        group = "GROUP BY grp, n"
    sql = f"""
        WITH changes AS (
            SELECT t.to_state AS grp, t.at,
                   LEAD(t.at) OVER (PARTITION BY t.case_id ORDER BY t.at, t.id) AS left_at
            FROM cases_timelineevent t
            WHERE t.case_id IN ({ids_sql})
              AND (t.type = 'case_opened' OR t.from_state <> t.to_state)
        ),
        stays AS (SELECT grp, {hours} AS h FROM changes WHERE left_at IS NOT NULL)
        SELECT grp, COUNT(*), {figures}, AVG(h) FROM {ranked} AS r {group} ORDER BY grp
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [{"state": state, "stays": n, "median_hours": _hours(median), "p90_hours": _hours(p90),
             "mean_hours": _hours(mean)} for state, n, median, p90, mean in rows]


def _hours(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)
