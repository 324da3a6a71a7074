"""GET /api/v1/reports/{metric}/: the figures as JSON, or CSV with ?format=csv."""

from __future__ import annotations

import csv
import io
from typing import Any

from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.reports.durations import METRICS
from cases.reports.queries import duration_report
from cases.rules import SUPERVISOR, roles_of

COLUMNS = ["group", "count", "median_hours", "p90_hours", "mean_hours", "met_deadline_share"]
DEFINITION = ("Percentiles are PostgreSQL's percentile_cont: linear interpolation between the "
              "closest ranks. since is inclusive, until exclusive, by the day the end event "
              "happened in the shop's time zone.")


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: dict | None = None) -> bytes:
        out = io.StringIO()
        rows = data.get("results") if isinstance(data, dict) else None
        if rows is None:  # an error: its reason, as one CSV cell
            csv.writer(out).writerow([data])
            return out.getvalue().encode()
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode()


def may_read_reports(user: Any) -> bool:
    groups, _shops = roles_of(user)
    return user.is_superuser or SUPERVISOR in groups


class DurationReportView(APIView):
    renderer_classes = [JSONRenderer, CSVRenderer]

    def get(self, request: Request, metric: str) -> Response:
        if metric not in METRICS:
            raise NotFound(f"No report {metric}; there are: {', '.join(METRICS)}.")
        if not may_read_reports(request.user):
            raise PermissionDenied("Reports are for supervisors and admins.")
        params = request.query_params.copy()
        params.pop("format", None)
        report = duration_report(metric=metric, by=request.user, params=params)
        response = Response({
            "metric": metric, "group_by": report.group_by,
            "since": report.since, "until": report.until, "definition": DEFINITION,
            "results": [row.as_dict() for row in report.rows],
        })
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="{metric}.csv"'
        return response
