"""The agent scorecard: per agent over a range, the figures an owner reads about each person, and
the team's value beside each (docs/guide.md, "The agent scorecard", defines every figure).

A fixed number of queries whatever the number of agents: the agents of the shops; the cases (on
PostgreSQL one pass computing every figure per agent and for the team, one_pass.py; on SQLite the
counts, then each duration by agent and for the team with durations.py's window functions: medians
do not add up); the messages sent; the quick replies used; the buyers' surveys (satisfaction.py).
Counts, shares and the average rating of the team are the sums of the agents' parts; medians are
percentile_cont, so SQLite and PostgreSQL give the same numbers.

Which range counts what, as in the report (cases/reports/queries.py): a case is *handled* in the
cohort of cases opened in the range, *resolved* and *answered* by the day that happened; messages
and quick replies by the day they were sent; surveys by the day they were sent to the buyer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
)
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases import selectors
from cases.models import CannedReplyUse, Case, Channel, Contact, Direction, Shop
from cases.permissions import AGENT, SUPERVISOR, roles_of
from cases.reports.durations import ALL, duration_rows, in_range, range_condition
from cases.reports.one_pass import Conditions, one_pass, reopened
from cases.reports.queries import ShopRangeQuery, readers_shops
from cases.reports.satisfaction import agent_satisfaction
from config.service_errors import InvalidInput

# The figures of a row, in the order the page and the workbook show them.
FIGURES = [
    "cases_handled", "cases_resolved", "first_response_median_hours", "resolution_median_hours",
    "resolution_p90_hours", "deadlines_met_share", "refund_rate", "average_refund",
    "revisions_asked", "revision_rate", "reopen_rate", "messages_sent",
    "phrase_hits_per_100_messages", "quick_replies_per_100_messages",
    "satisfaction_average", "surveys_answered", "survey_response_rate",
]
SORTS = ["agent", *FIGURES]
REOPEN = "reopen"


class JSONArrayLength(Func):
    """How many items a JSON list holds (the phrase hits of a message)."""

    function = "json_array_length"
    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="jsonb_array_length", **extra)


class ScorecardQuery(ShopRangeQuery):
    """The scorecard's query: the span and shop of every report, and a column to sort by."""

    sort = serializers.ChoiceField(choices=SORTS + [f"-{s}" for s in SORTS], default="agent",
                                   required=False)


@dataclass(frozen=True)
class Scorecard:
    since: date | None
    until: date | None
    shop: str | None
    sort: str
    results: list[dict[str, Any]]
    team: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until, "shop": self.shop, "sort": self.sort,
                "results": self.results, "team": self.team}


def sees_every_agent(user: Any) -> bool:
    """Supervisors and admins see every agent of their shops; an agent sees their own row."""
    if user is None or user.is_superuser:
        return True
    groups, _shops = roles_of(user)
    return SUPERVISOR in groups


def agent_scorecard(*, by: Any, params: Any) -> Scorecard:
    """The scorecard for `params` (since, until, shop, sort) as `by` may read it (None: the shell,
    every shop). InvalidInput with the reason for a bad date, a range that ends before it starts or
    a shop that is not the reader's."""
    serializer = ScorecardQuery(data=params, by=by)
    if not serializer.is_valid():
        raise InvalidInput(serializer.errors)
    q = serializer.validated_data
    shops = [q["shop"]] if q.get("shop") else readers_shops(by)
    cases = (Case.objects.all() if by is None else selectors.readable_by(by)).filter(
        shop__in=shops, assignee__isnull=False)
    since, until = q.get("since"), q.get("until")
    parts: dict[str, dict[str, Any]] = {name: {} for name in _agents_of(shops)}
    if connection.vendor == "postgresql":
        counts, durations = one_pass(cases, since, until, shops)
    else:
        counts, durations = _case_counts(cases, since, until, shops), {}
        for metric, end, key in (("resolution-time", "resolved_at", "resolution"),
                                 ("first-response-time", "first_responded_at", "first_response")):
            ended = in_range(cases, end, since, until, shops)
            for group_by in ("agent", ALL):
                for row in duration_rows(ended, metric, group_by):
                    durations.setdefault(row.group if group_by == "agent" else ALL, {})[key] = row
    for username, values in counts.items():
        parts.setdefault(username, {}).update(values)
    for username, values in _messages(shops, since, until).items():
        parts.setdefault(username, {}).update(values)
    for username, values in agent_satisfaction(cases, since=since, until=until,
                                               shops=shops).items():
        parts.setdefault(username, {}).update(values)
    for username in durations:
        if username != ALL:
            parts.setdefault(username, {})
    team_parts: dict[str, Any] = {}
    for values in parts.values():
        for key, value in values.items():
            team_parts[key] = team_parts.get(key, 0) + value
    if not sees_every_agent(by):
        parts = {by.username: parts.get(by.username, {})}
    results = [{"agent": name, **_figures(values, durations.get(name, {}))}
               for name, values in parts.items()]
    key = q.get("sort") or "agent"
    results = sort_rows(results, key)
    team = {"agent": None, **_figures(team_parts, durations.get(ALL, {}))}
    return Scorecard(since, until, q["shop"].code if q.get("shop") else None, key, results, team)


def sort_rows(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """By `key` ("-" first: largest first); rows without the figure last either way; then by name."""
    field = key.lstrip("-")
    descending = key.startswith("-")
    have = [r for r in rows if r.get(field) is not None]
    missing = [r for r in rows if r.get(field) is None]
    have.sort(key=lambda r: r["agent"])
    have.sort(key=lambda r: r[field], reverse=descending)
    return have + sorted(missing, key=lambda r: r["agent"])


def _agents_of(shops: list[Shop]) -> list[str]:
    """The agents of the shops: each has a row, even with nothing to count."""
    return list(get_user_model().objects.filter(shops__in=shops, groups__name=AGENT)
                .order_by("username").values_list("username", flat=True).distinct())


def _case_counts(cases: QuerySet[Case], since: date | None, until: date | None,
                 shops: list[Shop]) -> dict[str, dict[str, Any]]:
    """One pass over the cases, grouped by their agent: each figure counts its own cases (the
    durations are separate queries: durations.py's window functions)."""
    c = Conditions.of(since, until, shops)
    cohort, resolved, answered, money, asked = c.cohort, c.resolved, c.answered, c.money, c.asked
    rows = (c.counted(cases, since, until).annotate(reopened=reopened())
            .values("assignee__username").annotate(
                handled=Count("id", filter=cohort),
                resolved=Count("id", filter=resolved),
                answer_deadlines=Count("id", filter=answered & Q(first_response_due_at__isnull=False)),
                answered_in_time=Count("id", filter=answered & Q(
                    first_responded_at__lte=F("first_response_due_at"))),
                resolution_deadlines=Count("id", filter=resolved & Q(resolution_due_at__isnull=False)),
                resolved_in_time=Count("id", filter=resolved & Q(
                    resolved_at__lte=F("resolution_due_at"))),
                refunds=Count("id", filter=money),
                refunded=Sum("remedy_amount", filter=money),
                paid=Sum("order__paid_amount", filter=cohort),
                reopens=Count("id", filter=cohort & Q(reopened=True)),
                asked=Count("id", filter=asked),
                revised=Count("id", filter=asked & Q(review__revised_rating__isnull=False)),
            ).order_by())
    return {r.pop("assignee__username"): {k: v or 0 for k, v in r.items()} for r in rows}


def _messages(shops: list[Shop], since: date | None, until: date | None
              ) -> dict[str, dict[str, int]]:
    """Messages each of the shops' staff sent to buyers on the shops' cases (calls are not
    messages), their phrase hits, and the quick replies they filled in, by the day each happened in
    the shop's time zone."""
    # The shops' staff (an index probe per person on contact_messages_by_at), on the shops' cases.
    staff = Shop.members.through.objects.filter(shop__in=shops).values("user_id")
    sent = (Contact.objects.filter(direction=Direction.OUTBOUND, by__in=staff,
                                   case__shop__in=shops)
            .exclude(channel=Channel.CALL)
            .filter(range_condition("at", since, until, shops, shop_field="case__shop_id"))
            .values("by__username").annotate(messages=Count("id"),
                                             hits=Sum(JSONArrayLength("phrase_hits")))
            .order_by())
    found: dict[str, dict[str, int]] = {
        r["by__username"]: {"messages": r["messages"], "hits": r["hits"] or 0} for r in sent}
    uses = (CannedReplyUse.objects.filter(by__in=staff, case__shop__in=shops)
            .filter(range_condition("at", since, until, shops, shop_field="case__shop_id"))
            .values("by__username").annotate(n=Count("id")).order_by())
    for r in uses:
        found.setdefault(r["by__username"], {})["quick_replies"] = r["n"]
    return found


def _figures(p: dict[str, Any], durations: dict[str, Any]) -> dict[str, Any]:
    """A row's figures from its parts (counts and sums) and its duration rows."""
    resolution, first = durations.get("resolution"), durations.get("first_response")
    deadlines = p.get("answer_deadlines", 0) + p.get("resolution_deadlines", 0)
    messages = p.get("messages", 0)
    return {
        "cases_handled": p.get("handled", 0),
        "cases_resolved": p.get("resolved", 0),
        "first_response_median_hours": first.median_hours if first else None,
        "resolution_median_hours": resolution.median_hours if resolution else None,
        "resolution_p90_hours": resolution.p90_hours if resolution else None,
        "deadlines_met_share": _ratio(p.get("answered_in_time", 0) + p.get("resolved_in_time", 0),
                                      deadlines),
        "refund_rate": _ratio(p.get("refunded", 0), p.get("paid", 0)),
        "average_refund": (None if not p.get("refunds") else
                           str((Decimal(p["refunded"]) / p["refunds"]).quantize(Decimal("0.01")))),
        "revisions_asked": p.get("asked", 0),
        "revision_rate": _ratio(p.get("revised", 0), p.get("asked", 0)),
        "reopen_rate": _ratio(p.get("reopens", 0), p.get("handled", 0)),
        "messages_sent": messages,
        "phrase_hits_per_100_messages": _per_100(p.get("hits", 0), messages),
        "quick_replies_per_100_messages": _per_100(p.get("quick_replies", 0), messages),
        **satisfaction_figures(p),
    }


def satisfaction_figures(p: dict[str, Any]) -> dict[str, Any]:
    """The buyers' average rating (1–5, of the surveys answered), how many answered, and the share
    of the surveys sent that were answered."""
    answered = p.get("surveys_answered", 0)
    return {
        "satisfaction_average": round(p["rating_sum"] / answered, 2) if answered else None,
        "surveys_answered": answered,
        "survey_response_rate": _ratio(answered, p.get("surveys_sent", 0)),
    }


def _ratio(part: Any, whole: Any) -> float | None:
    return None if not whole else round(float(part) / float(whole), 4)


def _per_100(part: int, messages: int) -> float | None:
    return None if not messages else round(100.0 * part / messages, 2)


# Each figure's name as people read it (the page's and the workbook's headers).
LABELS = {
    "agent": _("Agent"),
    "cases_handled": _("Cases handled"),
    "cases_resolved": _("Cases resolved"),
    "first_response_median_hours": _("First reply, median"),
    "resolution_median_hours": _("Resolution, median"),
    "resolution_p90_hours": _("Resolution, 9 in 10 within"),
    "deadlines_met_share": _("Deadlines met"),
    "refund_rate": _("Refunded of paid"),
    "average_refund": _("Average refund"),
    "revisions_asked": _("Revisions asked"),
    "revision_rate": _("Revised of asked"),
    "reopen_rate": _("Reopened"),
    "messages_sent": _("Messages sent"),
    "phrase_hits_per_100_messages": _("Phrases to avoid per 100 messages"),
    "quick_replies_per_100_messages": _("Quick replies per 100 messages"),
    "satisfaction_average": _("Buyers' rating"),
    "surveys_answered": _("Surveys answered"),
    "survey_response_rate": _("Survey response rate"),
}
