"""The report page for supervisors and admins: filters, tables, bar charts drawn as SVG on the
server, and a CSV link for every table (the API's ?format=csv)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.models import Kind
from cases.reports.api import may_read_reports
from cases.reports.queries import run_report
from config.service_errors import InvalidInput

TABLES = ["resolution-time", "first-response-time", "closing-time", "deadlines", "backlog",
          "time-in-state",
          "outcomes", "reviews"]
BAR_WIDTH = 360
# The filters' names as the form shows them, for the errors named by field.
FILTER_LABELS = {"group_by": _("Group by"), "since": _("Since (inclusive)"),
                 "until": _("Until (exclusive)"), "shop": _("shop"), "kind": _("kind"),
                 "agent": _("Agent")}


def bars(rows: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """Each row's values as bar lengths in pixels, scaled to the largest."""
    top = max([row[k] or 0 for row in rows for k in keys] + [0]) or 1
    return [{"group": row.get("group", row.get("state")),
             "bars": [{"key": k, "value": row[k], "width": round((row[k] or 0) / top * BAR_WIDTH)}
                      for k in keys]} for row in rows]


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    if not may_read_reports(request.user):
        raise PermissionDenied
    params = request.GET.copy()
    for key in [k for k, v in params.items() if not v.strip()]:
        del params[key]  # a filter left empty on the form filters nothing
    params.setdefault("group_by", "kind")
    try:
        found = {name: run_report(name=name, by=request.user, params=params) for name in TABLES}
    except InvalidInput as error:
        errors = {capfirst(str(FILTER_LABELS.get(field, field))): problems
                  for field, problems in error.errors.items()}
        return render(request, "pages/reports.html", {"errors": errors, "params": params,
                                                      "kinds": Kind.choices}, status=400)
    return render(request, "pages/reports.html", {
        "params": params, "query": params.urlencode(), "tables": found, "kinds": Kind.choices,
        "resolution_chart": bars(found["resolution-time"]["results"], "median_hours", "p90_hours"),
        "backlog_chart": bars(found["backlog"]["results"], "under_1_day", "1_to_3_days",
                              "3_to_7_days", "over_7_days"),
    })
