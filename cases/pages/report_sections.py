"""The report page's refund approvals and buyer satisfaction: each a chart per week (drawn by
static/pages/report_charts.js like the page's other charts) with its table in words, and for
satisfaction the tables per agent and per kind. The figures come from
cases.reports.queries.report_page_sections."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.models import Kind
from cases.pages.report_charts import finish, week_name
from cases.templatetags.report_units import duration_words, percent

# The answers' colours: approved calm, declined alarming, waiting in between.
APPROVED, DECLINED, WAITING, LINE, QUIET = "#12b76a", "#d92d20", "#fdd67a", "#1570ef", "#d0d5dd"


def _cell(text: Any, value: Any = None, data: bool = False) -> dict[str, Any]:
    return {"text": text, "value": text if value is None else value, "data": data, "link": ""}


def rating_words(mean: float | None) -> str:
    """The buyers' mean rating as people read it: "4.3 / 5"; "—" for none."""
    return "—" if mean is None else str(_("%(rating)s / 5") % {"rating": f"{mean:.1f}"})


def _counted_bars(name: Any, counts: list[int], *, stack: str, colour: str) -> dict[str, Any]:
    """Bars of counts on the right-hand axis, stacked with the others of `stack`, each labelled."""
    return {"name": str(name), "kind": "bar", "axis": 1, "stack": stack, "colour": colour,
            "values": counts, "texts": [str(n) for n in counts], "links": []}


def _line(name: Any, values: list[float | None], texts: list[str]) -> dict[str, Any]:
    return {"name": str(name), "kind": "line", "colour": LINE, "values": values, "texts": texts,
            "links": []}


def approvals(rows: list[dict[str, Any]], week_rows: list[dict[str, Any]], weeks: list[date]
              ) -> dict[str, Any]:
    """Requests per week, stacked by their answer (bars), and the median time to approve (a
    line); the table per week and supervisor."""
    by_week = {date.fromisoformat(r["week"]): r for r in week_rows}
    weeks = sorted({*weeks, *by_week})
    found = [by_week.get(w) for w in weeks]
    median = [r["median_hours_to_approve"] if r else None for r in found]
    in_days = max([m for m in median if m is not None] + [0]) > 48

    def bars(name: Any, key: str, colour: str) -> dict[str, Any]:
        return _counted_bars(name, [r[key] if r else 0 for r in found], stack="asked",
                             colour=colour)

    return finish({
        "name": "approvals", "title": _("Refund approvals"),
        "note": _("Refunds above the shop's limits that waited for a supervisor, by the week "
                  "approval was asked: how each was answered (bars), and how long approval took "
                  "from the proposal (the median, a line). The table names who answered."),
        "type": "weekly", "table_below": True,
        "empty": _("No refund needed approval in this period."),
        "axes": [str(_("Days") if in_days else _("Hours")), str(_("Requests"))],
        "categories": [week_name(w) for w in weeks],
        "series": [
            bars(_("Approved"), "approved", APPROVED), bars(_("Declined"), "declined", DECLINED),
            bars(_("Still waiting"), "waiting", WAITING),
            _line(_("Median time to approve"),
                  [None if m is None else round(m / 24 if in_days else m, 1) for m in median],
                  [duration_words(m) for m in median]),
        ],
        "headers": [_("Week from"), _("Supervisor"), _("Asked"), _("Approved"), _("Declined"),
                    _("Still waiting"), _("Median time to approve")],
        "rows": [[_cell(week_name(date.fromisoformat(r["week"])), r["week"]),
                  _cell(r["supervisor"], data=True) if r["supervisor"]
                  else _cell(_("nobody yet"), ""),
                  _cell(r["asked"]), _cell(r["approved"]), _cell(r["declined"]),
                  _cell(r["waiting"]),
                  _cell(duration_words(r["median_hours_to_approve"]),
                        r["median_hours_to_approve"])]
                 for r in rows],
    })


SATISFACTION_HEADERS = [_("Surveys sent"), _("Answered"), _("Response rate"), _("Average rating"),
                        _("Satisfied (4–5)"), _("Low (1–2)")]


def _satisfaction_cells(r: dict[str, Any]) -> list[dict[str, Any]]:
    return [_cell(r["sent"]), _cell(r["answered"]),
            _cell(percent(r["response_rate"]), r["response_rate"]),
            _cell(rating_words(r["mean_rating"]), r["mean_rating"]),
            _cell(percent(r["satisfied_share"]), r["satisfied_share"]), _cell(r["low"])]


def satisfaction(found: dict[str, list[dict[str, Any]]], weeks: list[date], query: QueryDict
                 ) -> dict[str, Any]:
    """Surveys per week, answered or not (bars), and the average rating (a line on 1 to 5
    stars), with the table per week; then the tables per agent and per kind."""
    by_week = {date.fromisoformat(r["group"]): r for r in found["week"]}
    weeks = sorted({*weeks, *by_week})
    rows = [by_week.get(w) for w in weeks]
    answered = [r["answered"] if r else 0 for r in rows]
    unanswered = [r["sent"] - r["answered"] if r else 0 for r in rows]
    mean = [r["mean_rating"] if r else None for r in rows]
    chart = finish({
        "name": "satisfaction", "title": _("Buyer satisfaction"),
        "note": _("The surveys sent to buyers after their case was resolved, by the week they were "
                  "sent: answered or not (bars), and the average rating of the answers (a line, "
                  "1 to 5 stars)."),
        "type": "weekly", "table_below": True,
        "empty": _("No survey was sent to a buyer in this range."),
        "axes": [str(_("Average rating")), str(_("Surveys"))], "ranges": [[1, 5], None],
        "categories": [week_name(w) for w in weeks],
        "series": [
            _counted_bars(_("Answered"), answered, stack="surveys", colour=APPROVED),
            _counted_bars(_("Not answered"), unanswered, stack="surveys", colour=QUIET),
            _line(_("Average rating"), [None if m is None else round(m, 2) for m in mean],
                  [rating_words(m) for m in mean]),
        ],
        "headers": [_("Week from"), *SATISFACTION_HEADERS],
        "rows": [[_cell(week_name(w), w.isoformat()), *_satisfaction_cells(r)]
                 for w, r in zip(weeks, rows, strict=True) if r],
    })
    chart["tables"] = [
        {"title": _("Per agent"), "csv_url": _api_csv(query, "agent"),
         "headers": [_("Agent"), *SATISFACTION_HEADERS],
         "rows": [[_cell(r["group"], data=True) if r["group"] else _cell(_("Unassigned"), ""),
                   *_satisfaction_cells(r)] for r in found["agent"]]},
        {"title": _("Per kind"), "csv_url": _api_csv(query, "kind"),
         "headers": [capfirst(_("kind")), *SATISFACTION_HEADERS],
         "rows": [[_cell(Kind(r["group"]).label if r["group"] in Kind.values else r["group"],
                         r["group"]), *_satisfaction_cells(r)] for r in found["kind"]]},
    ]
    return chart


def _api_csv(query: QueryDict, group_by: str) -> str:
    params = query.copy()
    params["group_by"] = group_by
    params["format"] = "csv"
    return f"/api/v1/reports/satisfaction/?{params.urlencode()}"


def sections(found: dict[str, Any], weeks: list[date], query: QueryDict) -> list[dict[str, Any]]:
    """The approvals and the satisfaction, in the order the page shows them."""
    return [approvals(found["approvals"], found["approval_weeks"], weeks),
            satisfaction(found["satisfaction"], weeks, query)]
