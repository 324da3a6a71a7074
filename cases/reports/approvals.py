"""Refund approvals: how many were asked, approved and declined, and how long approval took, per
supervisor and week (the week the approval was asked, in the shop's time zone).

Read from the timeline: a proposing step that went to `awaiting_approval` asks; the next
`approve_remedy` or `decline_remedy` of the same case answers it, and names the supervisor. A
request nobody answered yet is counted under no supervisor (`supervisor: null`, `waiting`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet

from cases.approval import APPROVE, DECLINE
from cases.models import Case, State, TimelineEvent

PROPOSING = ("propose", "remedy")


@dataclass
class _Cell:
    asked: int = 0
    approved: int = 0
    declined: int = 0
    waiting: int = 0
    hours: list[float] = field(default_factory=list)


def _start(day: date | None, tz: ZoneInfo) -> datetime | None:
    return datetime.combine(day, time(0), tzinfo=tz) if day else None


def approval_figures(cases: QuerySet[Case], *, since: date | None = None,
                     until: date | None = None, week_tz: str | None = None) -> list[dict[str, Any]]:
    """One row per (week, supervisor): asked, approved, declined, waiting, and the median and
    mean hours from asking to approving. Requests asked in [since, until) (days in week_tz, the
    server's time zone when None). One query on the timeline (its case index)."""
    return [_row(week, who, cell) for (week, who), cell in _cells(cases, since, until, week_tz)]


def approvals_per_week(cases: QuerySet[Case], *, since: date | None = None,
                       until: date | None = None, week_tz: str | None = None
                       ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of approval_figures and, from the same query, one row per week over every
    supervisor (`supervisor` None; its median over all the week's approvals), for a chart."""
    cells = _cells(cases, since, until, week_tz)
    weeks: dict[date, _Cell] = defaultdict(_Cell)
    for (week, _who), cell in cells:
        total = weeks[week]
        total.asked += cell.asked
        total.approved += cell.approved
        total.declined += cell.declined
        total.waiting += cell.waiting
        total.hours += cell.hours
    return ([_row(week, who, cell) for (week, who), cell in cells],
            [_row(week, None, cell) for week, cell in sorted(weeks.items())])


def _cells(cases: QuerySet[Case], since: date | None, until: date | None, week_tz: str | None
           ) -> list[tuple[tuple[date, str | None], _Cell]]:
    """Per (week, supervisor), in order: the requests asked in [since, until) and their answers."""
    tz = ZoneInfo(week_tz or settings.TIME_ZONE)
    start, end = _start(since, tz), _start(until, tz)
    events = TimelineEvent.objects.filter(case__in=cases.values("pk")).filter(
        Q(type__in=PROPOSING, to_state=State.AWAITING_APPROVAL) | Q(type__in=(APPROVE, DECLINE)))
    if start is not None:
        events = events.filter(at__gte=start)
    rows: dict[tuple[date, str | None], _Cell] = defaultdict(_Cell)
    asked_at: dict[int, datetime] = {}
    for case_id, kind, at, who in events.order_by("case_id", "at", "id").values_list(
            "case_id", "type", "at", "actor__username"):
        if kind in PROPOSING:
            if end is None or at < end:
                asked_at[case_id] = at
            continue
        asked = asked_at.pop(case_id, None)
        if asked is None:  # a decision on a request asked before `since`
            continue
        cell = rows[(_week(asked, tz), who)]
        cell.asked += 1
        if kind == APPROVE:
            cell.approved += 1
            cell.hours.append((at - asked).total_seconds() / 3600)
        else:
            cell.declined += 1
    for asked in asked_at.values():
        cell = rows[(_week(asked, tz), None)]
        cell.asked += 1
        cell.waiting += 1
    return sorted(rows.items(), key=lambda item: (item[0][0], item[0][1] is None,
                                                  item[0][1] or ""))


def _week(at: datetime, tz: ZoneInfo) -> date:
    day = at.astimezone(tz).date()
    return day - timedelta(days=day.weekday())


def _row(week: date, who: str | None, cell: _Cell) -> dict[str, Any]:
    return {
        "week": week.isoformat(), "supervisor": who, "asked": cell.asked,
        "approved": cell.approved, "declined": cell.declined, "waiting": cell.waiting,
        "median_hours_to_approve": round(statistics.median(cell.hours), 2) if cell.hours else None,
        "mean_hours_to_approve": round(statistics.fmean(cell.hours), 2) if cell.hours else None,
    }
