"""The cases behind a figure of the report page (/reports/cases/): read-only, fifty a page, each
row a link to the case. What was clicked is said in words above the list."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Kind, Remedy, State
from cases.pages.report_charts import AGE_NAMES, week_name
from cases.pages.reports import FILTER_LABELS, TITLES
from cases.reports.api import may_read_reports
from cases.reports.behind import FIGURES, cases_behind, review_causes
from cases.templatetags.pages import in_shop_tz
from config.service_errors import InvalidInput

PAGE_SIZE = 50
ROW_FIELDS = ("kind", "state", "opened_at", "resolved_at", "first_responded_at", "closed_at",
              "chosen_remedy", "shop__time_zone", "customer__handle", "assignee__username")
# The moment a figure counts its cases by, as the list's column.
MOMENT_TITLES = {"resolved_at": gettext_lazy("Resolved"),
                 "first_responded_at": gettext_lazy("First reply"),
                 "closed_at": gettext_lazy("Closed"), "opened_at": gettext_lazy("Opened")}
BEHIND_LABELS = {**FILTER_LABELS, "figure": gettext_lazy("Figure"), "week": gettext_lazy("week"),
                 "state": gettext_lazy("state"), "age": gettext_lazy("Age"),
                 "remedy": gettext_lazy("Remedy"), "cause": gettext_lazy("Cause")}


def described(f: dict[str, Any]) -> list[str]:
    """What was clicked, in words: "week from 23 November", "Calmed", "1 to 3 days", …"""
    words = []
    if f.get("kind"):
        words.append(str(Kind(f["kind"]).label))
    if f.get("agent"):
        words.append(f["agent"].get_username())
    if f.get("shop"):
        words.append(f["shop"].name)
    if f.get("week"):
        words.append(_("week from %(day)s") % {"day": week_name(f["week"])})
    if f.get("state"):
        words.append(str(State(f["state"]).label))
    if f.get("age"):
        words.append(str(AGE_NAMES[f["age"]]))
    if f.get("remedy"):
        words.append(str(Remedy(f["remedy"]).label))
    if f.get("cause"):
        words.append(str(dict(review_causes())[f["cause"]]))
    if f.get("since"):
        words.append(_("since %(day)s") % {"day": f["since"].isoformat()})
    if f.get("until"):
        words.append(_("until %(day)s") % {"day": f["until"].isoformat()})
    return words


@login_required
def report_cases(request: HttpRequest) -> HttpResponse:
    if not may_read_reports(request.user):
        raise PermissionDenied
    params = request.GET.copy()
    for key in [k for k, v in params.items() if not v.strip()]:
        del params[key]
    try:
        figure, cases = cases_behind(by=request.user, params=params)
    except InvalidInput as error:
        errors = {capfirst(str(BEHIND_LABELS.get(field, field))): problems
                  for field, problems in error.errors.items()}
        return render(request, "pages/report_cases.html", {"errors": errors}, status=400)
    moment = FIGURES[figure["figure"]]
    listed = (cases.order_by(f"-{moment}", "-id").select_related("shop", "customer", "assignee")
              .only(*ROW_FIELDS))
    page = Paginator(listed, PAGE_SIZE).get_page(params.get("page"))
    kinds, states = dict(Kind.choices), dict(State.choices)
    case_url = reverse("case", args=[0])
    rows = [{
        "id": case.pk, "url": case_url.replace("/0/", f"/{case.pk}/"),
        "kind": kinds.get(case.kind, case.kind), "state": states.get(case.state, case.state),
        "buyer": case.customer.handle if case.customer_id else "—",
        "opened": in_shop_tz(case.opened_at, case.shop),
        "moment": in_shop_tz(getattr(case, moment), case.shop) if moment != "opened_at" else "",
        "agent": case.assignee.get_username() if case.assignee_id else "—",
    } for case in page]
    others = params.copy()
    others.pop("page", None)
    return render(request, "pages/report_cases.html", {
        "title": TITLES[figure["figure"]], "words": described(figure), "page": page,
        "rows": rows, "moment": MOMENT_TITLES[moment] if moment != "opened_at" else "",
        "query": others.urlencode(), "back": f"{reverse('reports')}?" + _report_query(others),
    })


def _report_query(params: Any) -> str:
    """The report page with the same filters (without what was clicked)."""
    back = params.copy()
    for key in ("figure", "week", "state", "age", "remedy", "cause", "page"):
        back.pop(key, None)
    return back.urlencode()
