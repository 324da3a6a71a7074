"""The notifications page and the bell: the same selectors and services as the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from config.roles import AGENT, SUPERVISOR, roles_of
from config.service_errors import NotFound
from notifications import selectors, services
from notifications.models import ReminderKind
from notifications.texts import render as render_text


def bell(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the bell's unread count, whether to show the supervisor pages, and
    whether the user is an agent (their own scorecard)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups, _shops = roles_of(user)
    return {"unread_count": selectors.unread_count(user),
            "is_supervisor": user.is_superuser or SUPERVISOR in groups,
            "is_agent": AGENT in groups}


GROUPS_PER_PAGE = 20
SHOWN_PER_GROUP = 5


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The inbox grouped by case: one group per case, its newest notification first, with how many
    there are (unread among them) and the case's link."""
    page = Paginator(selectors.inbox_by_case(request.user), GROUPS_PER_PAGE).get_page(
        request.GET.get("page"))
    groups = list(page)
    shown = selectors.in_groups(request.user, groups, per_group=SHOWN_PER_GROUP)
    # An escalation's text is the reason its author typed: data, left as it was written.
    return render(request, "pages/notifications.html", {"page": page, "groups": [{
        "case_id": g["case_id"], "count": g["count"], "unread": g["unread"],
        "more": g["count"] - len(shown[g["group"]]),
        "items": [{"n": n, "text": render_text(n), "typed": n.kind == ReminderKind.ESCALATED}
                  for n in shown[g["group"]]],
    } for g in groups]})


@login_required
@require_POST
def read(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        notification = services.mark_read(notification_id=notification_id, by=request.user)
    except NotFound:
        return redirect("notifications")
    if notification.case_id and request.POST.get("open"):
        return redirect("case", case_id=notification.case_id)
    return redirect("notifications")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(by=request.user)
    return redirect("notifications")


urlpatterns = [
    path("notifications/", inbox, name="notifications"),
    path("notifications/<int:notification_id>/read/", read, name="notification_read"),
    path("notifications/read-all/", read_all, name="notifications_read_all"),
]
