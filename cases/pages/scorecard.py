"""The agent scorecard page (/reports/agents/): a table sorted by links, the team's row first, each
agent a link to their cases in the queue; and the rising review causes for the report page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.money import as_read
from cases.pages.supervision import queue_link
from cases.reports.api import may_read_reports
from cases.reports.causes import review_causes
from cases.reports.queries import readers_shops
from cases.reports.scorecard import FIGURES, LABELS, agent_scorecard, sees_every_agent
from cases.reports.views import may_read_scorecard
from cases.templatetags.pages import duration_words, percent
from config.service_errors import InvalidInput

DEFAULT_DAYS = 28  # with no dates asked for, the page shows the last four weeks
FILTER_LABELS = {"since": _("Since (inclusive)"), "until": _("Until (exclusive)"),
                 "shop": _("shop"), "sort": _("Sort"), "group_by": _("Group by"),
                 "kind": _("kind"), "agent": _("Agent")}


def figure_text(key: str, value: Any) -> str:
    """One figure as people read it: "2 d 14 h", "85 %", "¥79.00", "12.5", "4.3 / 5"; "—" for
    none."""
    if value is None:
        return "—"
    if key == "satisfaction_average":
        return _("%(rating)s / 5") % {"rating": f"{value:.1f}"}
    if key.endswith("_hours"):
        return duration_words(value)
    if key.endswith(("_share", "_rate")):
        return percent(value)
    if key == "average_refund":
        return as_read(value, "CNY")
    if key.endswith("_per_100_messages"):
        return f"{value:.1f}"
    return str(value)


# The page's columns: every figure, the response rate in brackets beside the surveys answered.
COLUMNS = [key for key in FIGURES if key != "survey_response_rate"]


def cells(row: dict[str, Any]) -> list[str]:
    """A row's figures as the page's columns show them."""
    found = []
    for key in COLUMNS:
        text = figure_text(key, row[key])
        if key == "surveys_answered" and row["survey_response_rate"] is not None:
            text = f"{text} ({figure_text('survey_response_rate', row['survey_response_rate'])})"
        found.append(text)
    return found


def unknown(code: str | None, shops: list[tuple[str, str]]) -> str:
    """A shop code asked for that is none of the reader's: the filter keeps it selected, so the
    page shows what was asked beside the reason it was refused."""
    return code if code and code not in {c for c, _name in shops} else ""


def page_params(request: HttpRequest) -> QueryDict:
    """The query as the form sent it, empty fields dropped; no dates: the last four weeks."""
    params = request.GET.copy()
    for key in [k for k, v in params.items() if not v.strip()]:
        del params[key]
    if "since" not in params and "until" not in params:
        today = timezone.localdate()
        params["since"] = (today - timedelta(days=DEFAULT_DAYS)).isoformat()
        params["until"] = (today + timedelta(days=1)).isoformat()
    return params


def headers(params: QueryDict, current: str) -> list[dict[str, Any]]:
    """Each column's name and the link that sorts by it (again: the other way round)."""
    found = []
    for key in ["agent", *COLUMNS]:
        first = key if key == "agent" else f"-{key}"  # figures: the largest first
        sort = key if current == f"-{key}" else (f"-{key}" if current == key else first)
        query = params.copy()
        query["sort"] = sort
        found.append({"key": key, "label": capfirst(str(LABELS[key])), "url": f"?{query.urlencode()}",
                      "aria_sort": ("ascending" if current == key else
                                    "descending" if current == f"-{key}" else None)})
    return found


@login_required
def scorecard_page(request: HttpRequest) -> HttpResponse:
    if not may_read_scorecard(request.user):
        raise PermissionDenied
    params = page_params(request)
    # The shop filter offers the reader's shops (read once: the scorecard reuses the list).
    context: dict[str, Any] = {"params": params, "every_agent": sees_every_agent(request.user),
                               "shops": [(shop.code, shop.name)
                                         for shop in readers_shops(request.user)]}
    context["unknown_shop"] = unknown(params.get("shop"), context["shops"])
    try:
        card = agent_scorecard(by=request.user, params=params)
    except InvalidInput as error:
        context["errors"] = {capfirst(str(FILTER_LABELS.get(field, field))): problems
                             for field, problems in error.errors.items()}
        return render(request, "pages/scorecard.html", context, status=400)
    csv_query = params.copy()
    csv_query["format"] = "csv"
    context.update({
        "headers": headers(params, card.sort),
        "team": cells(card.team),
        "rows": [{"agent": row["agent"], "queue_url": queue_link(assignee=row["agent"]),
                  "cells": cells(row)} for row in card.results],
        "csv_url": f"/api/v1/reports/agent-scorecard/?{csv_query.urlencode()}",
    })
    return render(request, "pages/scorecard.html", context)


def rising_causes(user: Any, params: Any) -> list[dict[str, Any]]:
    """The report page's "rising review causes" (reports/_rising_causes.html reads it): the
    shop asked for, else every shop of the reader; none for a bad shop (the report says why)."""
    if not may_read_reports(user):
        return []
    try:
        return review_causes(by=user, params={"shop": params["shop"]} if params.get("shop") else {}
                             )["rising"]
    except InvalidInput:
        return []
