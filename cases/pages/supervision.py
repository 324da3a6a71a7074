"""Supervisor pages: escalated complaints to hand over, and the team board."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases import selectors
from cases.events import reason_text
from cases.models import Case, State, TimelineEvent
from cases.permissions import AGENT, SUPERVISOR, roles_of


def require_supervisor(user: Any) -> frozenset[int]:
    """The shops this user supervises (every shop for an admin); 403 for anyone else."""
    groups, shop_ids = roles_of(user)
    if user.is_superuser:
        from cases.models import Shop

        return frozenset(Shop.objects.values_list("id", flat=True))
    if SUPERVISOR not in groups:
        raise PermissionDenied
    return shop_ids


def team(shop_ids: frozenset[int], now: datetime) -> QuerySet:
    """The shops' agents, each with open cases, breached deadlines and cases resolved this week."""
    week_start = (timezone.localtime(now) - timedelta(days=timezone.localtime(now).weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0)
    open_case = ~Q(assigned_cases__state=State.CLOSED)
    return get_user_model().objects.filter(
        is_active=True, groups__name=AGENT, shops__in=shop_ids,
    ).distinct().annotate(
        open_cases=Count("assigned_cases", filter=open_case, distinct=True),
        breached=Count("assigned_cases", distinct=True,
                       filter=open_case & Q(assigned_cases__next_due_at__lte=now)),
        resolved_this_week=Count("assigned_cases", distinct=True,
                                 filter=Q(assigned_cases__resolved_at__gte=week_start)),
    ).order_by("username")


@login_required
def escalations(request: HttpRequest) -> HttpResponse:
    shop_ids = require_supervisor(request.user)
    last = TimelineEvent.objects.filter(case=OuterRef("pk"), type="escalate").order_by("-at", "-id")
    cases = list(selectors.case_list(request.user).filter(state=State.ESCALATED).annotate(
        escalation_reason=Subquery(last.values("data__reason")[:1]),
        escalated_by=Subquery(last.values("actor_id")[:1]),
    ).order_by("escalated_at", "id")[:200])
    for case in cases:  # the system's reasons in the reader's language; a person's as typed
        case.by_system = case.escalated_by is None
        case.escalation_reason = reason_text(case.escalation_reason or "",
                                             by_system=case.by_system)
    return render(request, "pages/escalations.html", {
        "cases": cases, "agents": list(team(shop_ids, timezone.now())),
    })


@login_required
def team_board(request: HttpRequest) -> HttpResponse:
    shop_ids = require_supervisor(request.user)
    agents = list(team(shop_ids, timezone.now()))
    most = max([a.open_cases for a in agents] + [1])
    return render(request, "pages/team.html", {"agents": agents, "most": most,
                                               "case_count": Case.objects.filter(
                                                   shop_id__in=shop_ids).exclude(
                                                   state=State.CLOSED).count()})
