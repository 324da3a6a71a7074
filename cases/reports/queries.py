"""What a report asks for, validated once for the API, the page and the command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases import selectors
from cases.models import Case, Kind, Shop
from cases.permissions import roles_of
from cases.reports import figures
from cases.reports.approvals import approval_figures, approvals_per_week
from cases.reports.durations import GROUPS, METRICS, Row, duration_rows, in_range
from cases.reports.satisfaction import satisfaction, satisfaction_breakdown
from cases.reports.states import time_in_state
from config.service_errors import InvalidInput


def shops_for(user: Any) -> QuerySet[Shop]:
    """The shops a report may name: every shop for an admin (user None: the shell), else the user's
    own (within a token's scope)."""
    if user is None or user.is_superuser:
        return Shop.objects.all()
    _groups, shop_ids = roles_of(user)
    return Shop.objects.filter(pk__in=shop_ids)


def agents_for(user: Any) -> QuerySet[Any]:
    """The people a report may name: everyone for an admin, else the staff of the user's shops."""
    people = get_user_model().objects.all()
    if user is None or user.is_superuser:
        return people
    _groups, shop_ids = roles_of(user)
    return people.filter(pk__in=Shop.members.through.objects.filter(shop_id__in=shop_ids)
                         .values("user_id"))


DATE_WRITTEN = _("Write the date as year-month-day, e.g. 2026-11-01.")


class ShopRangeQuery(serializers.Serializer):
    """A span of days and one of the reader's shops, as every report and the scorecard take them.
    A shop that is not the reader's is answered as one that does not exist."""

    since = serializers.DateField(required=False, help_text=_("inclusive"),
                                  error_messages={"invalid": DATE_WRITTEN})
    until = serializers.DateField(required=False, help_text=_("exclusive"),
                                  error_messages={"invalid": DATE_WRITTEN})
    shop = serializers.SlugRelatedField(
        slug_field="code", queryset=Shop.objects.none(), required=False,
        error_messages={"does_not_exist": _("None of your shops has the code {value}.")})

    def __init__(self, *args: Any, by: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = shops_for(by)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("since") and attrs.get("until") and attrs["since"] >= attrs["until"]:
            raise serializers.ValidationError({"until": _("Must be after since.")})
        return attrs


class ReportQuery(ShopRangeQuery):
    """The query of a report. A shop or agent that is not the reader's is answered exactly as one
    that does not exist, so a report never tells whether a code or a username is taken."""

    group_by = serializers.ChoiceField(choices=list(GROUPS), default="kind")
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    agent = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.none(), required=False,
        error_messages={"does_not_exist": _("Nobody in your shops has the username {value}.")})

    def __init__(self, *args: Any, by: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, by=by, **kwargs)
        self.fields["agent"].queryset = agents_for(by)


@dataclass(frozen=True)
class Report:
    metric: str
    group_by: str
    since: date | None
    until: date | None
    rows: list[Row]


def cases_for(user: Any) -> QuerySet[Case]:
    """The cases a report may count: every case for an admin (user None: the shell), else the
    user's own shops, by the same rule as every list."""
    return Case.objects.all() if user is None else selectors.visible_to(user)


REPORTS = [*METRICS, "deadlines", "backlog", "outcomes", "reviews", "time-in-state", "approvals",
           "satisfaction"]


def report_cases(by: Any, params: Any, counted_by: str) -> tuple[dict[str, Any], QuerySet[Case]]:
    """The validated query and the cases it selects (shop, kind, agent, range by `counted_by`);
    raises InvalidInput with the reason of each bad parameter."""
    serializer = ReportQuery(data=params, by=by)
    if not serializer.is_valid():
        raise InvalidInput(serializer.errors)
    q = serializer.validated_data
    cases = cases_for(by)
    if q.get("shop"):
        cases = cases.filter(shop=q["shop"])
    if q.get("kind"):
        cases = cases.filter(kind=q["kind"])
    if q.get("agent"):
        cases = cases.filter(assignee=q["agent"])
    # The reader's shops (a small table), never the shops of the cases (a scan of every case).
    shops = [q["shop"]] if q.get("shop") else readers_shops(by)
    if q.get("since") or q.get("until"):
        cases = in_range(cases, counted_by, q.get("since"), q.get("until"), shops)
    q["week_tz"] = week_time_zone(shops)
    return q, cases


def readers_shops(by: Any) -> list[Shop]:
    """The reader's shops with their codes, names and time zones, by name, read once per user
    object (a page runs many reports; the scorecard's shop filter lists them)."""
    shops = getattr(by, "_report_shops", None)
    if shops is None:
        shops = list(shops_for(by).only("pk", "code", "name", "time_zone").order_by("name", "code"))
        if by is not None:
            by._report_shops = shops
    return shops


def week_time_zone(shops: list[Shop]) -> str | None:
    """The time zone weeks are counted in: the shops' when they share one, else the site's."""
    zones = {shop.time_zone for shop in shops}
    return zones.pop() if len(zones) == 1 else None


def duration_report(*, metric: str, by: Any, params: Any) -> Report:
    q, cases = report_cases(by, params, METRICS[metric].end)
    return Report(metric, q["group_by"], q.get("since"), q.get("until"),
                  duration_rows(cases, metric, q["group_by"], week_tz=q["week_tz"]))


def run_report(*, name: str, by: Any, params: Any) -> dict[str, Any]:
    """Any report by name, as {"report", "group_by", "since", "until", "results": [rows]}."""
    if name in METRICS:
        report = duration_report(metric=name, by=by, params=params)
        return {"report": name, "group_by": report.group_by, "since": report.since,
                "until": report.until, "results": [row.as_dict() for row in report.rows]}
    if name == "approvals":  # since/until select when approval was asked, not when cases opened
        return approvals_report(by=by, params=params)
    if name == "satisfaction":  # since/until select when the survey was sent
        return satisfaction_report(by=by, params=params)
    q, cases = report_cases(by, params, "opened_at")
    if name == "backlog":
        results = figures.backlog(cases, timezone.now())
    elif name == "outcomes":
        results = figures.outcomes(cases, q["group_by"], week_tz=q["week_tz"])
    elif name == "deadlines":
        results = figures.deadlines_met(cases, q["group_by"], timezone.now(), week_tz=q["week_tz"])
    elif name == "time-in-state":
        results = time_in_state(cases)
    else:
        results = figures.reviews(cases, q["group_by"], week_tz=q["week_tz"])
    return {"report": name, "group_by": None if name in ("backlog", "time-in-state") else q["group_by"],
            "since": q.get("since"), "until": q.get("until"), "results": results}


def _undated(by: Any, params: Any) -> tuple[dict[str, Any], QuerySet[Case], Any, Any]:
    """The query and its cases without a date range, and the range validated on its own (for
    reports whose range selects their own events, not when the cases opened)."""
    q, cases = report_cases(by, {k: v for k, v in params.items() if k not in ("since", "until")},
                      "opened_at")
    dates = ReportQuery(data={k: v for k, v in params.items() if k in ("since", "until")}, by=by)
    if not dates.is_valid():
        raise InvalidInput(dates.errors)
    return q, cases, dates.validated_data.get("since"), dates.validated_data.get("until")


def satisfaction_report(*, by: Any, params: Any) -> dict[str, Any]:
    """The buyers' satisfaction per agent, kind or week (cases/reports/satisfaction.py)."""
    q, cases, since, until = _undated(by, params)
    # per agent unless asked otherwise (kind or week; the other groups are not the survey's)
    group_by = params.get("group_by") if params.get("group_by") in ("kind", "week") else "agent"
    return {"report": "satisfaction", "group_by": group_by, "since": since, "until": until,
            "results": satisfaction(cases, group_by, since=since, until=until,
                                    week_tz=q["week_tz"])}


def approvals_report(*, by: Any, params: Any) -> dict[str, Any]:
    """Refund approvals per supervisor and week (cases/reports/approvals.py)."""
    q, cases, since, until = _undated(by, params)
    return {"report": "approvals", "group_by": "week_supervisor", "since": since, "until": until,
            "results": approval_figures(cases, since=since, until=until, week_tz=q["week_tz"])}


def report_page_sections(*, by: Any, params: Any) -> dict[str, Any]:
    """The report page's refund approvals (per supervisor and week, and per week for the chart)
    and satisfaction (per agent, kind and week): one query each, dates as the two reports read
    them (when approval was asked; when the survey was sent)."""
    q, cases, since, until = _undated(by, params)
    approvals, approval_weeks = approvals_per_week(cases, since=since, until=until,
                                                   week_tz=q["week_tz"])
    return {"approvals": approvals, "approval_weeks": approval_weeks,
            "satisfaction": satisfaction_breakdown(cases, since=since, until=until,
                                                   week_tz=q["week_tz"])}
