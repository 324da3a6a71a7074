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

# A state change: the event that opened the case, or one that moved it to another state (the
# condition of the partial index timeline_state_changes, migration 0035: written the same way).
STATE_CHANGE = "(t.type = 'case_opened' OR t.from_state <> t.to_state)"


def time_in_state(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    ids_sql, params = cases.order_by().values("id").query.sql_with_params()  # no sort in IN
    sql = _postgresql(ids_sql) if connection.vendor == "postgresql" else _sqlite(ids_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [{"state": state, "stays": n, "median_hours": _hours(median), "p90_hours": _hours(p90),
             "mean_hours": _hours(mean)} for state, n, median, p90, mean in rows]


def _postgresql(ids_sql: str) -> str:
    """Each case's stays from its own state changes (LATERAL: one probe of the covering index
    timeline_state_changes per case, already in order, so nothing is sorted but the hours of
    each state). Joining the cases to the whole timeline instead let PostgreSQL read the events
    of every shop (a shop's twelve weeks: 1.8 s, of which 0.1 s are its own)."""
    return f"""
        WITH stays AS (
            SELECT s.grp, EXTRACT(EPOCH FROM (s.left_at - s.at)) / 3600.0 AS h
            FROM ({ids_sql}) AS c
            CROSS JOIN LATERAL (
                SELECT t.to_state AS grp, t.at,
                       LEAD(t.at) OVER (ORDER BY t.at, t.id) AS left_at
                FROM cases_timelineevent t
                WHERE t.case_id = c.id AND {STATE_CHANGE}
            ) AS s
            WHERE s.left_at IS NOT NULL
        )
        SELECT grp, n, q[1], q[2], mean FROM (
            SELECT grp, COUNT(*) AS n,
                   percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY h) AS q, AVG(h) AS mean
            FROM stays GROUP BY grp
        ) AS per_state ORDER BY grp
    """


def _sqlite(ids_sql: str) -> str:
    """The same stays over the whole timeline of the cases, percentiles by window functions."""
    return f"""
        WITH changes AS (
            SELECT t.to_state AS grp, t.at,
                   LEAD(t.at) OVER (PARTITION BY t.case_id ORDER BY t.at, t.id) AS left_at
            FROM cases_timelineevent t
            WHERE t.case_id IN ({ids_sql}) AND {STATE_CHANGE}
        ),
        stays AS (SELECT grp, (julianday(left_at) - julianday(at)) * 24.0 AS h
                  FROM changes WHERE left_at IS NOT NULL),
        r AS (SELECT grp, h, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY h) AS rn,
                     COUNT(*) OVER (PARTITION BY grp) AS n FROM stays)
        SELECT grp, n, {ranked_quantile(0.5)}, {ranked_quantile(0.9)}, AVG(h)
        FROM r GROUP BY grp, n ORDER BY grp
    """


def _hours(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)
