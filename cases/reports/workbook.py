"""The whole report as one Excel workbook: one sheet per table (the report's tables, the agent
scorecard, the review causes), headers in the reader's language, durations as hours (the unit in
the header), shares as percentages, amounts in yuan."""

from __future__ import annotations

import io
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from cases.reports.causes import review_causes
from cases.reports.labels import group_label, remedy_mix_text
from cases.reports.queries import REPORTS, run_report
from cases.reports.scorecard import FIGURES, LABELS, agent_scorecard

PERCENT = "0%"
HOURS = "0.0"
YUAN = '"¥"#,##0.00'
RATING = '0.0" / 5"'  # the buyers' average rating: the number, read "4.3 / 5"
SHEETS = {
    "resolution-time": gettext_lazy("Time to resolve"),
    "first-response-time": gettext_lazy("Time to the first reply"),
    "closing-time": gettext_lazy("Time to close"),
    "deadlines": gettext_lazy("Deadlines met"),
    "backlog": gettext_lazy("Open cases by age"),
    "outcomes": gettext_lazy("Outcomes"),
    "reviews": gettext_lazy("Negative reviews"),
    "time-in-state": gettext_lazy("Time spent in each state"),
    "approvals": gettext_lazy("Refund approvals"),
    "satisfaction": gettext_lazy("Satisfaction"),
}
HEADERS = {
    "count": gettext_lazy("Cases"), "cases": gettext_lazy("Cases"), "stays": gettext_lazy("Stays"),
    "total": gettext_lazy("Open"), "median_hours": gettext_lazy("Median"),
    "p90_hours": gettext_lazy("9 in 10 within"), "mean_hours": gettext_lazy("Mean"),
    "met_deadline_share": gettext_lazy("Within the deadline"),
    "answered_in_time_share": gettext_lazy("Answered in time"),
    "resolved_in_time_share": gettext_lazy("Resolved in time"),
    "breaches": gettext_lazy("Breaches"), "under_1_day": gettext_lazy("Under 1 day"),
    "1_to_3_days": gettext_lazy("1 to 3 days"), "3_to_7_days": gettext_lazy("3 to 7 days"),
    "over_7_days": gettext_lazy("Over 7 days"), "remedy_mix": gettext_lazy("Remedies chosen"),
    "refund_rate": gettext_lazy("Refunded of paid"), "escalation_rate": gettext_lazy("Escalated"),
    "hand_over_rate": gettext_lazy("Handed over"), "reopen_rate": gettext_lazy("Reopened"),
    "withdrawn_share": gettext_lazy("Withdrawn (of closed)"), "revised_share": gettext_lazy("Revised"),
    "replied_share": gettext_lazy("Answered publicly"), "still_open_share": gettext_lazy("Still open"),
    "mean_rating_change": gettext_lazy("Mean change of the rating"),
    "asked": gettext_lazy("Asked"), "approved": gettext_lazy("Approved"),
    "declined": gettext_lazy("Declined"), "waiting": gettext_lazy("Waiting"),
    "median_hours_to_approve": gettext_lazy("Median time to approve"),
    "mean_hours_to_approve": gettext_lazy("Mean time to approve"),
    "sent": gettext_lazy("Sent"), "answered": gettext_lazy("Answered"),
    "response_rate": gettext_lazy("Response rate"), "mean_rating": gettext_lazy("Mean rating"),
    "satisfied_share": gettext_lazy("Satisfied (4–5)"), "low": gettext_lazy("Low (1–2)"),
}
GROUPS = {"kind": gettext_lazy("kind"), "agent": gettext_lazy("Agent"), "shop": gettext_lazy("shop"),
          "week": gettext_lazy("week"), "state": gettext_lazy("state"),
          "week_supervisor": gettext_lazy("Week and supervisor")}


def header(key: str, label: Any) -> str:
    """A column's name; durations say their unit."""
    name = capfirst(str(label))
    return _("%(figure)s (hours)") % {"figure": name} if "_hours" in key else name


def number_format(key: str) -> str | None:
    if "_hours" in key:
        return HOURS
    if key.endswith(("_share", "_rate")):
        return PERCENT
    if key == "average_refund":
        return YUAN
    if key == "satisfaction_average":
        return RATING
    return None


def cell_value(key: str, value: Any) -> Any:
    """What a cell holds: numbers stay numbers; names in the reader's language."""
    if key == "remedy_mix":
        return remedy_mix_text(value)
    if key == "average_refund" and value is not None:
        return float(value)
    return value


def _sheet(book: Workbook, title: Any, keys: list[str], labels: list[str],
           rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(_safe_title(str(title)))
    sheet.append(labels)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for column, key in enumerate(keys, start=1):
        fmt = number_format(key)
        width = max(10, min(40, len(labels[column - 1]) + 2))
        sheet.column_dimensions[sheet.cell(1, column).column_letter].width = width
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = fmt
    sheet.freeze_panes = "B2"


# Reports grouped by two columns (approvals: per week and supervisor): one "group" cell for both.
PAIRED = {"week_supervisor": ("week", "supervisor")}


def _group_of(row: dict[str, Any], group_by: str) -> Any:
    if group_by in PAIRED:
        return " · ".join(str(row.get(k) or "—") for k in PAIRED[group_by])
    return row.get("group", row.get("state"))


def _safe_title(title: str) -> str:
    """Excel's rule for a sheet's name: at most 31 characters, none of []:*?/\\."""
    return "".join(c for c in title if c not in "[]:*?/\\")[:31]


def report_workbook(*, by: Any, params: Any) -> bytes:
    """The workbook of the report for `params` (the report page's filters) as `by` may read it.
    InvalidInput with the reasons for a bad filter, as the page."""
    book = Workbook()
    book.remove(book.active)
    for name in [*SHEETS, *(r for r in REPORTS if r not in SHEETS)]:
        found = run_report(name=name, by=by, params=params)
        group_by = found.get("group_by") or "state"
        results = found["results"]
        keys = [k for k in (results[0] if results else {})
                if k not in ("group", "state", *PAIRED.get(group_by, ()))]
        labels = [capfirst(str(GROUPS[group_by]))] + [header(k, HEADERS.get(k, k)) for k in keys]
        rows = [[group_label(_group_of(r, group_by), group_by)]
                + [cell_value(k, r[k]) for k in keys] for r in results]
        _sheet(book, SHEETS.get(name, name), ["group", *keys], labels, rows)
    card = agent_scorecard(by=by, params={k: params[k] for k in ("since", "until", "shop")
                                          if params.get(k)})
    labels = [header(k, LABELS[k]) for k in ["agent", *FIGURES]]
    rows = [[_("Team")] + [cell_value(k, card.team[k]) for k in FIGURES]]
    rows += [[r["agent"]] + [cell_value(k, r[k]) for k in FIGURES] for r in card.results]
    _sheet(book, _("Agent scorecard"), ["agent", *FIGURES], labels, rows)
    causes = review_causes(by=by, params={"shop": params["shop"]} if params.get("shop") else {})
    weeks = [w["start"].date().isoformat() for w in causes["weeks"]]
    labels = [_("Cause")] + [_("Week from %(day)s") % {"day": day} for day in weeks]
    _sheet(book, _("Review causes"), ["cause", *weeks], labels,
           [[c["label"], *c["counts"]] for c in causes["causes"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
