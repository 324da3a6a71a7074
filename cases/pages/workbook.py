"""/reports/export.xlsx: the whole report as one workbook, with the report page's filters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.text import capfirst

from cases.pages.scorecard import FILTER_LABELS
from cases.reports.api import may_read_reports
from cases.reports.workbook import report_workbook as build
from config.service_errors import InvalidInput

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def report_workbook(request: HttpRequest) -> HttpResponse:
    if not may_read_reports(request.user):
        raise PermissionDenied
    params = request.GET.copy()
    for key in [k for k, v in params.items() if not v.strip()]:
        del params[key]
    params.setdefault("group_by", "kind")
    params.pop("sort", None)
    try:
        body = build(by=request.user, params=params)
    except InvalidInput as error:
        reasons = "\n".join(f"{capfirst(str(FILTER_LABELS.get(field, field)))}: {' '.join(problems)}"
                            for field, problems in error.errors.items())
        return HttpResponse(reasons, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="report.xlsx"'
    return response
