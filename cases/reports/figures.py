"""The other report figures, each one aggregate query (plus one for the remedy mix): the backlog's
age, the outcomes of a cohort of cases, and what became of negative reviews.

Outcomes and reviews count the cases *opened* in the range (a cohort), so that a rate compares like
with like; the duration figures (durations.py) count by the day their end event happened.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncWeek

from cases.models import Case, ClosedAs, Kind, State
from cases.models.case import MONEY_REMEDIES
from cases.reports.durations import GROUPS
from cases.selectors import AGE_BUCKETS, age_condition


def grouped(cases: QuerySet[Case], group_by: str, week_of: str = "opened_at",
            week_tz: str | None = None) -> QuerySet[Case]:
    if group_by == "week":
        return cases.annotate(grp=TruncWeek(week_of, tzinfo=_zone(week_tz)))
    return cases.annotate(grp=F(GROUPS[group_by]))


def _zone(week_tz: str | None) -> ZoneInfo:
    return ZoneInfo(week_tz or settings.TIME_ZONE)


def label(group: Any, group_by: str) -> str:
    """A group's name: the week's Monday as YYYY-MM-DD (SQLite hands back text), else as is."""
    if group is None:
        return ""
    return str(group)[:10] if group_by == "week" else str(group)


def backlog(cases: QuerySet[Case], now: datetime) -> list[dict[str, Any]]:
    """Open cases by state and by age (since opened)."""
    buckets = {name: Count("id", filter=age_condition(name, now))
               for name, _low, _high in AGE_BUCKETS}
    rows = (cases.exclude(state=State.CLOSED).values("state").annotate(total=Count("id"), **buckets)
            .order_by("state"))
    return [{"state": r["state"], "total": r["total"], **{b[0]: r[b[0]] for b in AGE_BUCKETS}}
            for r in rows]


# The timeline's turns the outcomes count: how many cases were escalated, handed over, reopened.
TURNS = {"escalate": "escalation_rate", "hand_over": "hand_over_rate", "reopen": "reopen_rate"}


def outcomes(cases: QuerySet[Case], group_by: str, week_tz: str | None = None
             ) -> list[dict[str, Any]]:
    """Per group: the remedy mix, refund rate (refunded / paid), escalation, hand-over and reopen
    rates (the share of cases with such an event on their timeline), and the withdrawn share of the
    closed ones. Two queries: the cases' figures per remedy chosen (cohort_sums), and the cases
    with a turn, read from the few events of those types (the partial index timeline_turns),
    never the whole timeline of every case."""
    base = grouped(cases, group_by, week_tz=week_tz)
    return _outcome_rows(_added(cohort_sums(base, ["grp"]), "grp", group_by),
                         _turned(base, group_by))


def outcomes_and_refunds(cases: QuerySet[Case], group_by: str, week_tz: str | None = None
                         ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The outcomes per group and the refunds per week (as `refunds(…, "week")`) of the same
    cases, from one pass over them (grouped by both, added up here) and the turns' query: the
    report page shows both, and each pass over a large shop's cases (with their orders) costs."""
    base = grouped(cases, group_by, week_tz=week_tz)
    if group_by == "week":
        keys, weekly = ["grp"], base
    else:
        keys, weekly = ["grp", "week"], base.annotate(
            week=TruncWeek("opened_at", tzinfo=_zone(week_tz)))
    rows = cohort_sums(weekly, keys)
    weeks = sorted(_added(rows, keys[-1], "week").items())
    return (_outcome_rows(_added(rows, "grp", group_by), _turned(base, group_by)),
            [_refund_row(week, sums) for week, sums in weeks])


def refunds(cases: QuerySet[Case], group_by: str, week_tz: str | None = None
            ) -> list[dict[str, Any]]:
    """Per group: the cases, the refund rate (refunded / paid) and the remedy mix; the outcomes'
    figures the charts draw, without the timeline's rates (which read every case's events)."""
    base = grouped(cases, group_by, week_tz=week_tz)
    return [_refund_row(group, sums)
            for group, sums in _added(cohort_sums(base, ["grp"]), "grp", group_by).items()]


def cohort_sums(base: QuerySet[Case], keys: list[str]) -> list[dict[str, Any]]:
    """The cohort's figures that add up (cases, refunded, paid, closed, withdrawn) per `keys` and
    remedy chosen, in the order of the first key: one query gives the figures and the remedy mix
    of every grouping the keys allow."""
    money = Q(chosen_remedy__in=MONEY_REMEDIES, resolved_at__isnull=False)
    return list(base.values(*keys, "chosen_remedy").annotate(
        cases=Count("id"),
        refunded=Sum("remedy_amount", filter=money),
        paid=Sum("order__paid_amount"),
        closed=Count("id", filter=Q(state=State.CLOSED)),
        withdrawn=Count("id", filter=Q(closed_as=ClosedAs.WITHDRAWN)),
    ).order_by(keys[0]))


@dataclass
class _Sums:
    """A group's cohort figures, added up from its rows of cohort_sums."""

    cases: int = 0
    refunded: Any = 0
    paid: Any = None  # None while no case of the group has an order (no refund rate)
    closed: int = 0
    withdrawn: int = 0
    mix: dict[str, int] = field(default_factory=dict)

    def add(self, row: dict[str, Any]) -> None:
        self.cases += row["cases"]
        self.refunded += row["refunded"] or 0
        if row["paid"] is not None:
            self.paid = row["paid"] if self.paid is None else self.paid + row["paid"]
        self.closed += row["closed"]
        self.withdrawn += row["withdrawn"]
        if row["chosen_remedy"]:
            remedy = row["chosen_remedy"]
            self.mix[remedy] = self.mix.get(remedy, 0) + row["cases"]


def _added(rows: list[dict[str, Any]], key: str, group_by: str) -> dict[str, _Sums]:
    """The rows added up per `key`'s label, in the order the groups first come."""
    sums: dict[str, _Sums] = {}
    for row in rows:
        sums.setdefault(label(row[key], group_by), _Sums()).add(row)
    return sums


def _turned(base: QuerySet[Case], group_by: str) -> dict[str, dict[str, int]]:
    turned: dict[str, dict[str, int]] = defaultdict(dict)
    for grp, turn, n in base.filter(timeline__type__in=list(TURNS)).values_list(
            "grp", "timeline__type").annotate(n=Count("id", distinct=True)).order_by():
        turned[label(grp, group_by)][turn] = n
    return turned


def _outcome_rows(sums: dict[str, _Sums], turned: dict[str, dict[str, int]]
                  ) -> list[dict[str, Any]]:
    return [{
        "group": group, "cases": s.cases, "remedy_mix": s.mix,
        "refund_rate": _ratio(s.refunded, s.paid),
        **{rate: _ratio(turned[group].get(turn, 0), s.cases) for turn, rate in TURNS.items()},
        "withdrawn_share": _ratio(s.withdrawn, s.closed),
    } for group, s in sums.items()]


def _refund_row(group: str, s: _Sums) -> dict[str, Any]:
    return {"group": group, "cases": s.cases, "refund_rate": _ratio(s.refunded, s.paid),
            "remedy_mix": s.mix}


def reviewed(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The negative-review cases that carry their review: those the review figures count."""
    return cases.filter(kind=Kind.NEGATIVE_REVIEW, review__isnull=False)


def reviews(cases: QuerySet[Case], group_by: str, week_tz: str | None = None
            ) -> list[dict[str, Any]]:
    """Negative-review cases: the share revised, answered publicly, still open; the mean change of
    the rating among the revised."""
    base = grouped(reviewed(cases), group_by, week_tz=week_tz)
    rows = base.values("grp").annotate(
        cases=Count("id"),
        revised=Count("id", filter=Q(review__revised_rating__isnull=False)),
        replied=Count("id", filter=~Q(review__public_reply="")),
        still_open=Count("id", filter=~Q(state=State.CLOSED)),
        rating_change=Avg(F("review__revised_rating") - F("review__rating"),
                          filter=Q(review__revised_rating__isnull=False), output_field=FloatField()),
    ).order_by("grp")
    return [{
        "group": label(r["grp"], group_by), "cases": r["cases"],
        "revised_share": _ratio(r["revised"], r["cases"]),
        "replied_share": _ratio(r["replied"], r["cases"]),
        "still_open_share": _ratio(r["still_open"], r["cases"]),
        "mean_rating_change": _round(r["rating_change"]),
    } for r in rows]


def _ratio(part: Any, whole: Any) -> float | None:
    return None if not whole else round(float(part) / float(whole), 4)


def _round(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


def deadlines_met(cases: QuerySet[Case], group_by: str, now: datetime,
                  week_tz: str | None = None) -> list[dict[str, Any]]:
    """Per group: the share answered and the share resolved within their deadlines (of those that
    were), and the breaches: answered or resolved late, or still waiting past the deadline."""
    base = grouped(cases, group_by, week_tz=week_tz)
    answered = Q(first_responded_at__isnull=False, first_response_due_at__isnull=False)
    resolved = Q(resolved_at__isnull=False, resolution_due_at__isnull=False)
    late_answer = (answered & Q(first_responded_at__gt=F("first_response_due_at"))) | Q(
        first_responded_at__isnull=True, first_response_due_at__lt=now)
    late_resolution = (resolved & Q(resolved_at__gt=F("resolution_due_at"))) | Q(
        resolved_at__isnull=True, resolution_due_at__lt=now, closed_at__isnull=True)
    rows = base.values("grp").annotate(
        cases=Count("id"),
        answered=Count("id", filter=answered),
        answered_in_time=Count("id", filter=answered & Q(
            first_responded_at__lte=F("first_response_due_at"))),
        resolved=Count("id", filter=resolved),
        resolved_in_time=Count("id", filter=resolved & Q(resolved_at__lte=F("resolution_due_at"))),
        breaches=Count("id", filter=late_answer | late_resolution),
    ).order_by("grp")
    return [{
        "group": label(r["grp"], group_by), "cases": r["cases"],
        "answered_in_time_share": _ratio(r["answered_in_time"], r["answered"]),
        "resolved_in_time_share": _ratio(r["resolved_in_time"], r["resolved"]),
        "breaches": r["breaches"],
    } for r in rows]
