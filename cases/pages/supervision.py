"""Supervisor pages: escalated complaints to hand over, and the team board."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from cases import deadlines, selectors
from cases.deadlines import DEFAULT_WARNING_LEAD
from cases.events import reason_text
from cases.models import Case, Kind, Shop, State
from cases.pages.queue import urgency, warning_leads
from cases.pages.row_refusals import refused_row
from cases.permissions import AGENT, SUPERVISOR, roles_of
from cases.reminder_texts import deadline_names
from cases.templatetags.pages import in_shop_tz, money, time_left

ESCALATIONS_PAGE_SIZE = 25
SYSTEM, PERSON = "system", "person"

# ?sort= → the ORDER BY (a leading "-": the other way round). Nothing else is accepted.
SORTS: dict[str, tuple[Any, ...]] = {
    "escalated": ("escalated_at", "id"),
    "-escalated": ("-escalated_at", "-id"),
    "deadline": (F("next_due_at").asc(nulls_last=True), "id"),
    "-deadline": (F("next_due_at").desc(nulls_last=True), "-id"),
    "amount": (F("claimed_amount").asc(nulls_last=True), "id"),
    "-amount": (F("claimed_amount").desc(nulls_last=True), "-id"),
    "assignee": (F("assignee__username").asc(nulls_first=True), "id"),
    "-assignee": (F("assignee__username").desc(nulls_last=True), "-id"),
    "kind": ("kind", "id"),
    "-kind": ("-kind", "-id"),
}
DEFAULT_SORT = "escalated"  # the longest waiting first


def require_supervisor(user: Any) -> frozenset[int]:
    """The shops this user supervises (every shop for an admin); 403 for anyone else."""
    groups, shop_ids = roles_of(user)
    if user.is_superuser:
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


def ago(at: datetime | None, now: datetime) -> str:
    """'3 h 20 min ago', '2 d 4 h ago', '5 min ago' (as people read it)."""
    if at is None:
        return "—"
    minutes = max(int((now - at).total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        amount = _t("%(d)s d %(h)s h") % {"d": days, "h": hours}
    elif hours:
        amount = _t("%(h)s h %(m)s min") % {"h": hours, "m": mins}
    else:
        amount = _t("%(m)s min") % {"m": mins}
    return _t("%(amount)s ago") % {"amount": amount}


class EscalationFilter(forms.Form):
    shop = forms.ChoiceField(label=_("shop"), required=False)
    kind = forms.ChoiceField(label=_("kind"), required=False,
                             choices=[("", _("any")), *Kind.choices])
    by = forms.ChoiceField(label=_("escalated by"), required=False, choices=[
        ("", _("anyone")), (SYSTEM, _("the system (a deadline passed)")), (PERSON, _("a person"))])
    sort = forms.ChoiceField(label=_("sorted by"), required=False,
                             choices=[(key, key) for key in SORTS])

    def __init__(self, data: Any, *, shops: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["shop"].choices = [("", _("any")), *shops]
        self.fields["sort"].error_messages["invalid_choice"] = _(
            "Sort by one of: %(names)s.") % {"names": ", ".join(SORTS)}


@login_required
def escalations(request: HttpRequest) -> HttpResponse:
    shop_ids = require_supervisor(request.user)
    shops = list(Shop.objects.filter(id__in=shop_ids).order_by("name").values_list("code", "name"))
    form = EscalationFilter(request.GET or None, shops=shops)
    form.is_valid()  # what is wrong is said beside its field; the valid filters still apply
    values = getattr(form, "cleaned_data", {})
    cases = selectors.escalated_cases(request.user)
    if values.get("shop"):
        cases = cases.filter(shop__code=values["shop"])
    if values.get("kind"):
        cases = cases.filter(kind=values["kind"])
    if values.get("by"):
        cases = cases.filter(escalated_by_id__isnull=values["by"] == SYSTEM)
    sort = values.get("sort") or DEFAULT_SORT
    cases = cases.select_related("shop", "assignee", "order").defer(
        "description", "core_problem", "buyer_name", "buyer_phone", "buyer_address",
        "order__items").order_by(*SORTS[sort])
    page = Paginator(cases, ESCALATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = escalation_rows(list(page), agents_by_shop(shop_ids))
    refused = refused_row(request)
    for row in rows:  # a refused hand-over from this table: the reason and what was typed
        if refused.get("case") == row["id"] and refused.get("step") == "hand_over":
            row["refused"], row["typed"] = refused["reason"], refused.get("typed") or {}
            refused = {}
    if refused:  # its row is not on this page any more (the case moved on): said at the top
        messages.error(request, _t("Case #%(id)s was not handed over: %(reason)s") % {
            "id": refused["case"], "reason": refused.get("reason", "")})
    return render(request, "pages/escalations.html", {
        "form": form, "page": page, "rows": rows, "sort": sort,
        "columns": _sort_links(request, sort),
        "query": _query_without(request, "page"), "here": request.get_full_path(),
        "shops": shops, "selected_shop": values.get("shop") or "",
        **approval_rows(request.user),  # refunds awaiting approval come first (pages/approvals.py)
    }, status=400 if form.errors else 200)


def approval_rows(user: Any) -> dict[str, Any]:
    from cases.pages.approvals import approval_rows as rows

    return rows(user)


def agents_by_shop(shop_ids: frozenset[int]) -> dict[int, list[Any]]:
    """Who a case of each shop may be handed over to: the shop's active agents, with their open
    and breached cases (two queries for the page, not one per row)."""
    agents = {agent.pk: agent for agent in team(shop_ids, timezone.now())}
    found: dict[int, list[Any]] = defaultdict(list)
    pairs = Shop.members.through.objects.filter(
        user_id__in=agents, shop_id__in=shop_ids).values_list("shop_id", "user_id")
    for shop_id, user_id in sorted(pairs, key=lambda pair: agents[pair[1]].username):
        found[shop_id].append(agents[user_id])
    return found


def escalation_rows(cases: list[Case], agents: dict[int, list[Any]]) -> list[dict[str, Any]]:
    """What each row shows, as text (no query per row)."""
    now = timezone.now()
    kinds, names = dict(Kind.choices), deadline_names()
    case_url, hand_over_url = reverse("case", args=[0]), reverse("transition", args=[0, "hand_over"])
    leads = warning_leads(cases)
    rows = []
    for case in cases:
        upcoming = deadlines.running(case)
        deadline = upcoming[0].name if upcoming else ""
        by_system = case.escalated_by_id is None
        rows.append({
            "id": case.pk, "url": case_url.replace("/0/", f"/{case.pk}/"),
            "hand_over_url": hand_over_url.replace("/0/", f"/{case.pk}/"),
            "kind": kinds.get(case.kind, case.kind),
            "ago": ago(case.escalated_at, now), "at": in_shop_tz(case.escalated_at, case.shop),
            "by_system": by_system, "by": case.escalated_by_name or "",
            "reason": reason_text(case.escalation_reason or "", by_system=by_system) or "—",
            "amount": money(case.claimed_amount, case.order.currency if case.order else None),
            "deadline": names.get(deadline, deadline) if case.next_due_at else "",
            "left": time_left(case.next_due_at, now),
            "due": in_shop_tz(case.next_due_at, case.shop),
            "urgency": urgency(case.next_due_at, now,
                               leads.get((case.shop_id, case.kind), DEFAULT_WARNING_LEAD)),
            "assignee": case.assignee.get_username() if case.assignee_id else "",
            "agents": [a for a in agents.get(case.shop_id, []) if a.pk != case.assignee_id],
        })
    return rows


def _sort_links(request: HttpRequest, sort: str) -> dict[str, dict[str, str]]:
    """Each sortable column's link (the other way round when it is the current sort) and its
    aria-sort."""
    params = request.GET.copy()
    params.pop("page", None)
    links = {}
    for key in (k for k in SORTS if not k.startswith("-")):
        params["sort"] = f"-{key}" if sort == key else key
        links[key] = {"href": f"?{params.urlencode()}",
                      "aria": ("ascending" if sort == key else
                               "descending" if sort == f"-{key}" else "none")}
    return links


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def queue_link(**filters: str) -> str:
    """The queue, all the cases the supervisor may see, narrowed by these filters."""
    return f"{reverse('queue')}?{urlencode({'tab': 'all', **filters})}"


# The team board's columns of open cases: the states a case waits in for its agent.
BOARD_STATES = (State.NEW, State.ACKNOWLEDGED, State.CALMED, State.UNDERSTOOD, State.PROPOSED,
                State.ESCALATED)


@login_required
def team_board(request: HttpRequest) -> HttpResponse:
    shop_ids = require_supervisor(request.user)
    agents = list(team(shop_ids, timezone.now()))
    per_state: dict[tuple[int, str], int] = dict(
        ((assignee, state), n) for assignee, state, n in Case.objects.filter(
            shop_id__in=shop_ids, assignee__in=agents).exclude(state=State.CLOSED)
        .order_by().values_list("assignee", "state").annotate(n=Count("id")))
    shown = [s for s in BOARD_STATES if any(state == s for (_a, state) in per_state)] or [
        State.NEW]
    others = [s for s in {state for (_a, state) in per_state} if s not in BOARD_STATES]
    columns = [(State(s).label, s) for s in (*shown, *sorted(others))]
    most = max([a.open_cases for a in agents] + [1])
    board = []
    for agent in agents:
        name = agent.get_username()
        board.append({
            "name": name, "open": agent.open_cases,
            "open_url": queue_link(assignee=name),
            "states": [(label, per_state.get((agent.pk, s), 0),
                        queue_link(assignee=name, state=s)) for label, s in columns],
            "breached": agent.breached, "breached_url": queue_link(assignee=name, breached="1"),
            "resolved": agent.resolved_this_week,
            "bar": round(agent.open_cases * 140 / most),
        })
    return render(request, "pages/team.html", {
        "board": board, "columns": columns,
        "case_count": Case.objects.filter(shop_id__in=shop_ids).exclude(
            state=State.CLOSED).count()})
