"""The scorecard's case figures on PostgreSQL in one pass over the shop's cases: every count, sum
and percentile per agent and for the team at once (GROUP BY GROUPING SETS), instead of a query per
figure. SQLite has neither GROUPING SETS nor percentile_cont: there scorecard.py runs the counts
and durations.py's window functions, with the same definitions and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Extract

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
    """Hours from opening to `end`: the interval's microseconds (a whole number, exact) divided by
    3,600,000,000 in double precision, as durations.py does on SQLite. The numeric quotient it
    replaces was cast to double precision for percentile_cont through its text, for every case:
    the largest part of the pass's time."""
    interval = ExpressionWrapper(F(end) - F("opened_at"), output_field=DurationField())
    micro = Cast(Extract(interval, "epoch") * 1_000_000, BigIntegerField())
    return Cast(micro, FloatField()) / Value(3_600_000_000.0, output_field=FloatField())


def _reviewed(condition: Q) -> Exists:
    """The case's review (one at most) meets `condition`: read once into a hash (revision requests
    are few), so the pass keeps the index's order; the same as the join of _case_counts."""
    reviews = CaseRow._meta.get_field("review").related_model._default_manager
    return Exists(reviews.filter(condition, case=OuterRef("pk")))


def one_pass(cases: QuerySet[CaseRow], since: date | None, until: date | None, shops: list[Shop]
             ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Row]]]:
    """(counts per username, durations per username and ALL), as scorecard._case_counts and
    durations.duration_rows give them, from one query.

    The pass reads the shop's cases from the index case_scorecard, in the order of their agent, so
    the per-agent groups (and their percentiles) need no sort of the cases; it joins nothing per
    case (a join would lose that order: the sort of every case's row was most of the time). The
    only figure from another table per case, the amount paid for the order, is summed per agent
    apart (`paid`) and joined to the agents' rows, as are the usernames, after grouping.
    """
    c = Conditions.of(since, until, shops)
    asked = Q(revision_requested_at__isnull=False)
    rows = c.counted(cases, since, until).annotate(
        who=F("assignee_id"),
        coh=_flag(c.cohort), res=_flag(c.resolved), ans=_flag(c.answered),
        ans_due=_flag(c.answered & Q(first_response_due_at__isnull=False)),
        ans_met=_flag(c.answered & Q(first_responded_at__lte=F("first_response_due_at"))),
        res_due=_flag(c.resolved & Q(resolution_due_at__isnull=False)),
        res_met=_flag(c.resolved & Q(resolved_at__lte=F("resolution_due_at"))),
        money=_flag(c.money), amount=F("remedy_amount"),
        reopen=_flag(c.cohort & Q(Exists(TimelineEvent.objects.filter(
            case=OuterRef("pk"), type=REOPEN)))),
        asked=_flag(c.cohort & Q(kind=Kind.NEGATIVE_REVIEW) & Q(_reviewed(asked))),
        revised=_flag(c.cohort & Q(kind=Kind.NEGATIVE_REVIEW) & Q(_reviewed(
            asked & Q(revised_rating__isnull=False)))),
        res_h=_hours("resolved_at"), ans_h=_hours("first_responded_at"),
    ).order_by().values("who", "coh", "res", "ans", "ans_due", "ans_met", "res_due", "res_met",
                        "money", "amount", "reopen", "asked", "revised", "res_h", "ans_h")
    # The cohort's cases with an order (an inner join: a case without one adds nothing).
    paid = (cases.filter(c.cohort).filter(order__paid_amount__isnull=False).order_by()
            .values("assignee_id").annotate(paid=Sum("order__paid_amount")))
    inner, params = rows.query.sql_with_params()
    paid_sql, paid_params = paid.query.sql_with_params()
    users = get_user_model()
    q = connection.ops.quote_name
    table = q(users._meta.db_table)
    username = f"{table}.{q(users._meta.get_field(users.USERNAME_FIELD).column)}"
    sql = f"""
        SELECT team, {username}, handled, resolved, ans_due, ans_met, res_due, res_met, refunds,
               refunded, COALESCE(paid.paid, 0), reopens, asked, revised, n_res, res_q, n_ans,
               ans_median
        FROM (
            SELECT GROUPING(who) AS team, who, SUM(coh) AS handled, SUM(res) AS resolved,
                   SUM(ans_due) AS ans_due, SUM(ans_met) AS ans_met, SUM(res_due) AS res_due,
                   SUM(res_met) AS res_met, SUM(money) AS refunds,
                   SUM(amount) FILTER (WHERE money = 1) AS refunded, SUM(reopen) AS reopens,
                   SUM(asked) AS asked, SUM(revised) AS revised,
                   COUNT(*) FILTER (WHERE res = 1) AS n_res,
                   percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY res_h)
                       FILTER (WHERE res = 1) AS res_q,
                   COUNT(*) FILTER (WHERE ans = 1) AS n_ans,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY ans_h)
                       FILTER (WHERE ans = 1) AS ans_median
            FROM ({inner}) AS counted GROUP BY GROUPING SETS ((who), ())
        ) AS agents
        LEFT JOIN ({paid_sql}) AS paid ON paid.assignee_id = agents.who AND agents.team = 0
        LEFT JOIN {table} ON {table}.{q(users._meta.pk.column)} = agents.who
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *paid_params))
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
