"""GET /api/v1/reports/{metric}/: the figures as JSON, or CSV with ?format=csv."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.permissions import SUPERVISOR, roles_of
from cases.reports.labels import labelled_rows
from cases.reports.queries import REPORTS, run_report
from config.api_schema import errors

COLUMNS = ["group", "count", "median_hours", "p90_hours", "mean_hours", "met_deadline_share"]


def csv_text(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV, their keys as the header; nested values (the remedy mix) as JSON."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
                          for k, v in row.items()} for row in rows)
    return out.getvalue()
DEFINITION = ("Percentiles are PostgreSQL's percentile_cont: linear interpolation between the "
              "closest ranks. since is inclusive, until exclusive, by the day the end event "
              "happened in the shop's time zone (durations), or the day the case opened "
              "(outcomes, reviews: a cohort). The backlog is now.")


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: dict | None = None) -> bytes:
        rows = data.get("results") or [] if isinstance(data, dict) else []
        # No rows still gives a CSV (its header), so a spreadsheet opens it.
        return (csv_text(rows) or "group\r\n").encode()


def may_read_reports(user: Any) -> bool:
    groups, _shops = roles_of(user)
    return user.is_superuser or SUPERVISOR in groups


def _query(name: str, doc: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.QUERY, required=False, description=doc)


class ReportView(APIView):
    renderer_classes = [JSONRenderer, CSVRenderer]

    def finalize_response(self, request: Request, response: Response, *args: Any,
                          **kwargs: Any) -> Response:
        """Errors are JSON with their reason, even when CSV was asked for."""
        if response.status_code >= 400 and isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter("name", str, OpenApiParameter.PATH, enum=list(REPORTS)),
            OpenApiParameter("format", str, OpenApiParameter.QUERY, enum=["json", "csv", ""],
                             description="csv for a spreadsheet (beside each key a person cannot "
                                         "read, its name in the request's language: "
                                         "group_label for a kind, state_label, "
                                         "remedy_mix_label); empty or json for JSON"),
            _query("group_by", "kind, agent, shop or week"),
            _query("since", "YYYY-MM-DD, inclusive"),
            _query("until", "YYYY-MM-DD, exclusive"),
            _query("shop", "shop code"), _query("kind", "kind of case"),
            _query("agent", "agent's username"),
        ],
        responses={(200, "application/json"): OpenApiTypes.OBJECT,
                   (200, "text/csv"): OpenApiTypes.STR,
                   **{(code, "application/json"): answer
                      for code, answer in errors(400, 401, 403, 404, 406, 429).items()}},
        description="One report's figures (JSON; CSV with ?format=csv). " + DEFINITION,
    )
    def get(self, request: Request, name: str) -> Response:
        if name not in REPORTS:
            raise NotFound(f"No report {name}; there are: {', '.join(REPORTS)}.")
        if not may_read_reports(request.user):
            raise PermissionDenied("Reports are for supervisors and admins.")
        params = request.query_params.copy()
        params.pop("format", None)
        body = run_report(name=name, by=request.user, params=params)
        body["definition"] = DEFINITION
        if request.accepted_renderer.format == "csv":
            # for a person in a spreadsheet: each kind, state and remedy named beside its key
            body["results"] = labelled_rows(body["results"], body.get("group_by"))
            response = Response(body)
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        return Response(body)
