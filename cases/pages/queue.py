"""The agent's queue: open cases, most urgent deadline first, in tabs, filters and pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases import deadlines, selectors, services
from cases.deadlines import DEFAULT_WARNING_LEAD
from cases.models import Case, DeadlinePolicy, Kind, State
from cases.models.marketplace import rule_name
from cases.templatetags.pages import in_shop_tz, money, time_left
from config.service_errors import InvalidInput, ServiceError
from notifications.texts import deadline_names

PAGE_SIZE = 50
TABS = {
    "mine": _("Mine"),
    "unassigned": _("Unassigned"),
    "soon": _("Breaching soon"),
    "all": _("All I may see"),
}


# The columns a row shows (queue_rows) and those its next deadline is worked out from
# (deadlines.running): the rest of five wide rows per case is not read.
ROW_FIELDS = (
    "kind", "state", "claimed_amount", "shop_id", "assignee_id", "customer_id", "order_id",
    "next_due_at", "clock_paused_at", "first_responded_at", "first_response_due_at",
    "marketplace_due_at", "marketplace_rule", "resolved_at", "resolution_due_at",
    "follow_up_due_at", "appeal_due_at",
    "shop__time_zone", "customer__handle", "order__number", "order__currency",
    "assignee__username",
)


class QueueFilter(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[("", _("any")), *Kind.choices])
    state = forms.ChoiceField(label=_("state"), required=False,
                              choices=[("", _("any")), *State.choices])
    shop = forms.CharField(label=_("shop"), required=False, max_length=40)
    # Not stripped and not cut short here: the queue's selector says what is wrong with a search.
    q = forms.CharField(label=_("Search"), required=False, strip=False, widget=forms.TextInput(
        attrs={"placeholder": _("Buyer's handle or name, #case, order or marketplace id"),
               "type": "search"}))


def _tab_filters(tab: str) -> dict[str, Any]:
    """The tab as queue filters ("mine" is narrowed by the selector's own index already)."""
    if tab == "all":
        return {}
    if tab == "unassigned":
        return {"open_only": True, "assignee": "none"}
    if tab == "soon":
        return {"open_only": True, "due_before": timezone.now() + DEFAULT_WARNING_LEAD}
    return {"open_only": True}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "mine")
    if tab not in TABS:
        tab = "mine"
    form = QueueFilter(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    try:
        cases = selectors.filter_queue(
            selectors.case_list(request.user, assigned_to_them=tab == "mine"), request.user,
            kinds=[values["kind"]] if values.get("kind") else [], shop=values.get("shop") or "",
            search=values.get("q") or None, **_tab_filters(tab))
    except InvalidInput as error:
        # A blank or too long search: the reason beside the box, and no cases.
        form.add_error("q", error.errors["search"])
        cases = Case.objects.none()
    # Counts per state of this tab and filter (one GROUP BY), before the state filter narrows it.
    counts = dict(cases.order_by().values_list("state").annotate(n=Count("id")))
    if values.get("state"):
        cases = selectors.filter_queue(cases, request.user, states=[values["state"]])
    cases = cases.order_by(F("next_due_at").asc(nulls_last=True), "id").only(*ROW_FIELDS)
    paginator = Paginator(cases, PAGE_SIZE)
    # The counts per state add up to the pages' total: no second COUNT over the same cases.
    paginator.count = (counts.get(values["state"], 0) if values.get("state")
                       else sum(counts.values()))
    page = paginator.get_page(request.GET.get("page"))
    status = 200 if not form.errors else 400
    return render(request, "pages/queue.html", {
        "tab": tab, "tabs": TABS, "form": form, "page": page, "rows": queue_rows(list(page)),
        "counts": [(State(s).label, s, counts[s]) for s in State.values if counts.get(s)],
        "query": _query_without(request, "page"), "tab_query": _query_without(request, "tab", "page"),
    }, status=status)


@login_required
@require_POST
def claim_next(request: HttpRequest) -> HttpResponse:
    """The most urgent unassigned case of the agent's shops becomes theirs, and opens."""
    try:
        case = services.claim_next(by=request.user)
    except ServiceError as error:
        messages.info(request, str(error.message))
        return redirect(f"{reverse('queue')}?tab=unassigned")
    messages.success(request, _("The case is yours."))
    return redirect("case", case_id=case.pk)


def queue_rows(cases: list[Case]) -> list[dict[str, Any]]:
    """What each row shows, as text: the template only places it (no lookups per row), and
    labels, URLs and the shops' warning leads are looked up once per page."""
    now = timezone.now()
    kinds, states = dict(Kind.choices), dict(State.choices)
    names = deadline_names()
    case_url, claim_url = reverse("case", args=[0]), reverse("claim", args=[0])
    leads = warning_leads(cases)
    rows = []
    for case in cases:
        upcoming = deadlines.running(case)
        deadline = upcoming[0].name if upcoming else ""
        order, lead = case.order, leads.get((case.shop_id, case.kind), DEFAULT_WARNING_LEAD)
        rows.append({
            "id": case.pk, "url": case_url.replace("/0/", f"/{case.pk}/"),
            "kind": kinds.get(case.kind, case.kind),
            "state": case.state, "state_label": states.get(case.state, case.state),
            "buyer": case.customer.handle if case.customer_id else "—",
            "order": order.number if order else "—",
            "amount": ("—" if case.claimed_amount is None
                       else money(case.claimed_amount, order.currency if order else None)),
            "assignee": case.assignee.get_username() if case.assignee_id else "—",
            "deadline": names.get(deadline, deadline) if case.next_due_at else "",
            # the marketplace's deadline is named by its rule (refund request left unanswered, …)
            "rule": (rule_name(case.marketplace_rule)
                     if deadline == deadlines.MARKETPLACE and case.marketplace_rule else ""),
            "left": time_left(case.next_due_at, now),
            "due": in_shop_tz(case.next_due_at, case.shop),
            "urgency": urgency(case.next_due_at, now, lead),
            "claim_url": (claim_url.replace("/0/", f"/{case.pk}/")
                          if case.assignee_id is None and case.state != State.CLOSED else ""),
        })
    return rows


def warning_leads(cases: list[Case]) -> dict[tuple[int, str], timedelta]:
    """Each shop's warning lead per kind, for the cases on the page (one query)."""
    shop_ids = {case.shop_id for case in cases}
    if not shop_ids:
        return {}
    return {(shop_id, kind): lead for shop_id, kind, lead in DeadlinePolicy.objects.filter(
        shop_id__in=shop_ids).values_list("shop_id", "kind", "warning_lead")}


def urgency(due: Any, now: Any, lead: timedelta = DEFAULT_WARNING_LEAD) -> str:
    """breached (red), soon (amber, within the warning lead) or empty."""
    if due is None:
        return ""
    if due <= now:
        return "breached"
    return "soon" if due - now <= lead else ""


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
