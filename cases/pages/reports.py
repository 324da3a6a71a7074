"""The report page for supervisors and admins: filters; the charts (report_charts.py: weekly
times, the backlog, refund and revision rates, remedies and causes), each with its table, its CSV
and links to the cases behind every figure; the refund approvals and the buyers' satisfaction
(report_sections.py); then every report as a table by the chosen group, with the API's CSV."""

from __future__ import annotations

import csv
from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.models import Kind, Remedy, State
from cases.pages import report_charts, report_sections
from cases.pages.report_charts import behind
from cases.pages.scorecard import rising_causes, unknown
from cases.reports.api import may_read_reports
from cases.reports.behind import FIGURES
from cases.reports.queries import readers_shops, report_page_sections, run_report
from cases.reports.weekly import monday_of, weekly_series
from cases.templatetags.report_units import duration_words, percent
from config.service_errors import InvalidInput

TABLES = ["resolution-time", "first-response-time", "closing-time", "deadlines", "backlog",
          "time-in-state",
          "outcomes", "reviews"]
# Without a range, the page shows the last twelve weeks (this one included).
DEFAULT_WEEKS = 12
GROUP_PARAMS = {"kind": "kind", "agent": "agent", "shop": "shop", "week": "week"}
# The filters' names as the form shows them, for the errors named by field.
FILTER_LABELS = {"group_by": _("Group by"), "since": _("Since (inclusive)"),
                 "until": _("Until (exclusive)"), "shop": _("shop"), "kind": _("kind"),
                 "agent": _("Agent")}

# What each table is called and what its figures mean, in words (the API's keys stay as they are).
TITLES = {
    "resolution-time": _("Time to resolve"),
    "first-response-time": _("Time to the first reply"),
    "closing-time": _("Time to close"),
    "deadlines": _("Deadlines met"),
    "backlog": _("Open cases by age"),
    "time-in-state": _("Time spent in each state"),
    "outcomes": _("Outcomes"),
    "reviews": _("Negative reviews"),
}
NOTES = {
    "resolution-time": _("From opening to resolution, for the cases resolved in the range."),
    "first-response-time": _("From opening to the first reply to the buyer, for the cases "
                             "answered in the range."),
    "closing-time": _("From opening to closing, for the cases closed in the range."),
    "deadlines": _("Of the cases opened in the range: the share answered and resolved within "
                   "their deadlines, and the breaches (late, or still waiting past the deadline)."),
    "backlog": _("The cases open now, by how long ago they were opened."),
    "time-in-state": _("How long cases stayed in each state before moving on (the state a case "
                       "is in now is not counted)."),
    "outcomes": _("Of the cases opened in the range: the remedies chosen, the money refunded of "
                  "the money paid, and how often cases were escalated, handed over or reopened."),
    "reviews": _("Of the negative reviews opened in the range: how many were revised, answered "
                 "publicly or are still open."),
}
COLUMNS = {
    "count": _("Cases"), "cases": _("Cases"), "stays": _("Stays"), "total": _("Open"),
    "median_hours": _("Median"), "p90_hours": _("9 in 10 within"), "mean_hours": _("Mean"),
    "met_deadline_share": _("Within the deadline"),
    "answered_in_time_share": _("Answered in time"), "resolved_in_time_share": _("Resolved in time"),
    "breaches": _("Breaches"),
    "under_1_day": _("Under 1 day"), "1_to_3_days": _("1 to 3 days"), "3_to_7_days": _("3 to 7 days"),
    "over_7_days": _("Over 7 days"),
    "remedy_mix": _("Remedies chosen"), "refund_rate": _("Refunded of paid"),
    "escalation_rate": _("Escalated"), "hand_over_rate": _("Handed over"),
    "reopen_rate": _("Reopened"), "withdrawn_share": _("Withdrawn (of closed)"),
    "revised_share": _("Revised"), "replied_share": _("Answered publicly"),
    "still_open_share": _("Still open"), "mean_rating_change": _("Mean change of the rating"),
}
GROUP_TITLES = {"kind": _("kind"), "agent": _("Agent"), "shop": _("shop"), "week": _("week"),
                "state": _("state")}


def cell(key: str, value: Any) -> dict[str, Any]:
    """One figure as people read it: durations in days, hours and minutes, shares as percentages,
    remedies and states by their names."""
    if value is None or value == {}:
        return {"text": "—"}
    if key.endswith("_hours"):
        return {"text": duration_words(value)}
    if key.endswith(("_share", "_rate")):
        return {"text": percent(value)}
    if key == "remedy_mix":
        return {"text": _(", ").join(f"{Remedy(r).label if r in Remedy.values else r} {n}"
                                     for r, n in value.items())}
    if key == "mean_rating_change":
        return {"text": _("%(change)s stars") % {"change": f"{value:+.1f}"}}
    return {"text": value}


def group_cell(value: Any, group_by: str) -> dict[str, Any]:
    """A row's group: a kind or state by its name; an agent, a shop or a week as it is (data)."""
    if group_by == "kind":
        return {"text": Kind(value).label if value in Kind.values else value}
    if group_by == "state":
        return {"text": State(value).label if value in State.values else value}
    return {"text": value or "—", "data": True}


def table(name: str, found: dict[str, Any], query: QueryDict | None = None) -> dict[str, Any]:
    """A report as the page shows it: title, what it means, headers and cells; a row's group links
    to the cases behind the row."""
    group_by = found.get("group_by") or "state"
    rows = found["results"]
    keys = [k for k in (rows[0].keys() if rows else []) if k not in ("group", "state")]
    return {
        "name": name, "title": TITLES[name], "note": NOTES[name],
        "headers": [capfirst(str(GROUP_TITLES[group_by]))] + [str(COLUMNS.get(k, k)) for k in keys],
        "rows": [[{**group_cell(group, group_by), "link": row_link(name, group, group_by, query)}]
                 + [cell(k, row[k]) for k in keys]
                 for row in rows for group in [row.get("group", row.get("state"))]],
    }


def row_link(name: str, group: Any, group_by: str, query: QueryDict | None) -> str:
    """The cases behind a row: the report's figure narrowed to the row's group."""
    if query is None or name not in FIGURES or not group:
        return ""
    if group_by == "state":
        return behind(query, figure=name, state=group)
    return behind(query, figure=name, **{GROUP_PARAMS[group_by]: group})


def with_default_range(params: QueryDict) -> QueryDict:
    """Without a range, the last DEFAULT_WEEKS weeks: from the Monday DEFAULT_WEEKS - 1 weeks
    before this week's (shown in the form, so the reader sees what is counted)."""
    if not params.get("since") and not params.get("until"):
        this_week = monday_of(timezone.localdate())
        params["since"] = (this_week - timedelta(weeks=DEFAULT_WEEKS - 1)).isoformat()
    return params


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    if not may_read_reports(request.user):
        raise PermissionDenied
    params = request.GET.copy()
    for key in [k for k, v in params.items() if not v.strip()]:
        del params[key]  # a filter left empty on the form filters nothing
    params.setdefault("group_by", "kind")
    params = with_default_range(params)
    asked_csv = params.pop("csv", [""])[-1]
    # the shop filter's choices: the reader's shops (the reports read the same list)
    shops = [(shop.code, shop.name) for shop in readers_shops(request.user)]
    unknown_shop = unknown(params.get("shop"), shops)
    try:
        # The outcomes come with the weekly series: the same pass over the cases opened.
        found = {name: run_report(name=name, by=request.user, params=params)
                 for name in TABLES if name != "outcomes"}
        series = weekly_series(by=request.user, params=params, today=timezone.localdate(),
                               outcomes_by=params["group_by"])
        found["outcomes"] = {"group_by": params["group_by"], "results": series.outcomes}
        extra = report_page_sections(by=request.user, params=params)
    except InvalidInput as error:
        errors = {capfirst(str(FILTER_LABELS.get(field, field))): problems
                  for field, problems in error.errors.items()}
        return render(request, "pages/reports.html", {"errors": errors, "params": params,
                                                      "kinds": Kind.choices, "shops": shops,
                                                      "unknown_shop": unknown_shop},
                      status=400)
    filters = params.copy()
    charts = report_charts.charts(series, found["backlog"]["results"], filters)
    approvals, satisfaction = report_sections.sections(extra, series.weeks, filters)
    if asked_csv:
        return chart_csv([*charts, approvals, satisfaction], asked_csv)
    return render(request, "pages/reports.html", {
        "params": params, "query": params.urlencode(), "kinds": Kind.choices, "shops": shops,
        "charts": charts, "approvals": approvals, "satisfaction": satisfaction,
        "group_title": GROUP_TITLES[params["group_by"]],
        "tables": [table(name, found[name], filters) for name in TABLES if name != "backlog"],
        "rising_causes": rising_causes(request.user, params),
    })


def chart_csv(charts: list[dict[str, Any]], name: str) -> HttpResponse:
    """One chart's table as CSV (?csv=<chart>): its headers, then its values."""
    chart = next((c for c in charts if c["name"] == name), None)
    if chart is None:
        raise Http404(f"No chart {name}.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    csv.writer(response).writerows(report_charts.csv_rows(chart))
    return response
