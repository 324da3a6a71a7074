"""The scorecard's case figures on PostgreSQL in one pass over the shop's cases: every count, sum
and percentile per agent and for the team at once (GROUP BY GROUPING SETS), instead of a query per
figure. SQLite has neither GROUPING SETS nor percentile_cont: there scorecard.py runs the counts
and durations.py's window functions, with the same definitions and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Extract

from cases.models import Case as CaseRow
from cases.models import Kind, Shop, TimelineEvent
from cases.models.case import MONEY_REMEDIES
from cases.reports.durations import ALL, Row, range_condition

REOPEN = "reopen"


@dataclass(frozen=True)
class Conditions:
    """Which of a row's figures a case counts in: opened, resolved or first answered in the range."""

    cohort: Q
    resolved: Q
    answered: Q
    money: Q
    asked: Q

    @classmethod
    def of(cls, since: date | None, until: date | None, shops: list[Shop]) -> Conditions:
        cohort = range_condition("opened_at", since, until, shops)
        return cls(
            cohort=cohort,
            resolved=Q(resolved_at__isnull=False) & range_condition("resolved_at", since, until,
                                                                     shops),
            answered=(Q(first_responded_at__isnull=False)
                      & range_condition("first_responded_at", since, until, shops)),
            money=cohort & Q(chosen_remedy__in=MONEY_REMEDIES, resolved_at__isnull=False),
            asked=cohort & Q(kind=Kind.NEGATIVE_REVIEW,
                             review__revision_requested_at__isnull=False))

    def counted(self, cases: QuerySet[Case], since: date | None, until: date | None
                ) -> QuerySet[Case]:
        """The cases any figure counts (Q() | x is x: with no range every case counts)."""
        if since is None and until is None:
            return cases
        return cases.filter(self.cohort | self.resolved | self.answered)


def reopened() -> Exists:
    """The case was reopened (read through the partial index timeline_reopens)."""
    return Exists(TimelineEvent.objects.filter(case=OuterRef("pk"), type=REOPEN))


def _flag(condition: Q) -> Case | Value:
    if not condition:  # no range: every case counts
        return Value(1, output_field=IntegerField())
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _hours(end: str) -> Any:
    return Extract(ExpressionWrapper(F(end) - F("opened_at"), output_field=DurationField()),
                   "epoch") / 3600.0


def one_pass(cases: QuerySet[CaseRow], since: date | None, until: date | None, shops: list[Shop]
             ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Row]]]:
    """(counts per username, durations per username and ALL), as scorecard._case_counts and
    durations.duration_rows give them, from one query."""
    c = Conditions.of(since, until, shops)
    rows = c.counted(cases, since, until).annotate(
        who=F("assignee__username"),
        coh=_flag(c.cohort), res=_flag(c.resolved), ans=_flag(c.answered),
        ans_due=_flag(c.answered & Q(first_response_due_at__isnull=False)),
        ans_met=_flag(c.answered & Q(first_responded_at__lte=F("first_response_due_at"))),
        res_due=_flag(c.resolved & Q(resolution_due_at__isnull=False)),
        res_met=_flag(c.resolved & Q(resolved_at__lte=F("resolution_due_at"))),
        money=_flag(c.money), amount=F("remedy_amount"), paid=F("order__paid_amount"),
        reopen=_flag(c.cohort & Q(Exists(TimelineEvent.objects.filter(
            case=OuterRef("pk"), type=REOPEN)))),
        asked=_flag(c.asked),
        revised=_flag(c.asked & Q(review__revised_rating__isnull=False)),
        res_h=_hours("resolved_at"), ans_h=_hours("first_responded_at"),
    ).order_by().values("who", "coh", "res", "ans", "ans_due", "ans_met", "res_due", "res_met", "money",
             "amount", "paid", "reopen", "asked", "revised", "res_h", "ans_h")
    inner, params = rows.query.sql_with_params()
    sql = f"""
        SELECT GROUPING(who), who, SUM(coh), SUM(res), SUM(ans_due), SUM(ans_met), SUM(res_due),
               SUM(res_met), SUM(money), SUM(amount) FILTER (WHERE money = 1),
               SUM(paid) FILTER (WHERE coh = 1), SUM(reopen), SUM(asked), SUM(revised),
               COUNT(*) FILTER (WHERE res = 1),
               percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY res_h) FILTER (WHERE res = 1),
               COUNT(*) FILTER (WHERE ans = 1),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY ans_h) FILTER (WHERE ans = 1)
        FROM ({inner}) AS counted GROUP BY GROUPING SETS ((who), ())
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    counts: dict[str, dict[str, Any]] = {}
    durations: dict[str, dict[str, Row]] = {}
    names = ["handled", "resolved", "answer_deadlines", "answered_in_time", "resolution_deadlines",
             "resolved_in_time", "refunds", "refunded", "paid", "reopens", "asked", "revised"]
    for team, who, *values in found:
        *sums, n_res, res_q, n_ans, ans_median = values
        key = ALL if team else who
        if not team:
            counts[who] = {name: value or 0 for name, value in zip(names, sums, strict=True)}
        found_durations = {}
        if n_res:
            found_durations["resolution"] = Row(key, n_res, _round(res_q[0]), _round(res_q[1]),
                                                None, None)
        if n_ans:
            found_durations["first_response"] = Row(key, n_ans, _round(ans_median), None, None,
                                                    None)
        durations[key] = found_durations
    return counts, durations


def _round(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)
