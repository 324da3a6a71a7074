"""The agent's queue: open cases, most urgent deadline first, in tabs, filters, sorts and pages;
and a supervisor's bulk action on the rows they selected (services.run_bulk)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases import deadlines, selectors, services
from cases.deadlines import DEFAULT_WARNING_LEAD
from cases.models import Case, Contact, DeadlinePolicy, Direction, Kind, State
from cases.models.marketplace import rule_name
from cases.pages.queue_filters import (
    QueueFilter,
    chips,
    shops_of,
    state_counts,
    supervises,
    tab_cases,
    tab_counts,
    tabs_for,
)
from cases.permissions import AGENT, roles_of
from cases.reminder_texts import deadline_names
from cases.services.bulk import DONE
from cases.templatetags.pages import duration_words, in_shop_tz, money, threat_badges, time_left
from config.service_errors import InvalidInput, NotAllowed, ServiceError

PAGE_SIZE = 50
# A row's preview: the buyer's last message (or the core problem), cut short in the database.
PREVIEW_LENGTH = 140

# ?sort=: the orders a person may choose (anything else keeps the default, "due"). Cases without
# a deadline (closed ones, mostly) come last both ways; no amount counts as the least, so a
# descending sort by amount is the ascending one read backwards. Each has its index (migration
# 0023).
SORTS: dict[str, tuple[Any, ...]] = {
    # The default: a buyer's threat first (an open case's `flagged`), then the nearest deadline.
    "due": (F("flagged").desc(), F("next_due_at").asc(nulls_last=True), F("id").asc()),
    "-due": (F("next_due_at").desc(nulls_last=True), F("id").desc()),
    "opened": (F("opened_at").asc(), F("id").asc()),
    "-opened": (F("opened_at").desc(), F("id").desc()),
    "amount": (F("claimed_amount").asc(nulls_first=True), F("id").asc()),
    "-amount": (F("claimed_amount").desc(nulls_last=True), F("id").desc()),
}
DEFAULT_SORT = "due"
# The sortable columns and which way a first click sorts them.
SORTABLE = {"due": "due", "opened": "opened", "amount": "-amount"}

# The bulk action bar's buttons (services.run_bulk's actions).
BULK_ACTIONS = {
    "assign": _("Assign"),
    "hand_over": _("Hand over"),
    "escalate": _("Escalate"),
    "claim": _("Claim for myself"),
}


# The columns a row shows (queue_rows) and those its next deadline is worked out from
# (deadlines.running): the rest of five wide rows per case is not read.
ROW_FIELDS = (
    "kind", "state", "claimed_amount", "shop_id", "assignee_id", "customer_id", "order_id",
    "opened_at", "core_problem", "flagged", "threats",
    "next_due_at", "clock_paused_at", "first_responded_at", "first_response_due_at",
    "marketplace_due_at", "marketplace_rule", "resolved_at", "resolution_due_at",
    "follow_up_due_at", "appeal_due_at",
    "shop__time_zone", "customer__handle", "order__number", "order__currency",
    "assignee__username",
)


def landing_tab(request: HttpRequest, params: QueryDict, supervisor: bool) -> str:
    """The tab asked for (every link of the page carries it, so a chosen tab is kept); without
    one, the tab that matters: for supervisors the escalated cases of their shops when there are
    any, else all; for agents their own."""
    offered = set(tabs_for(supervisor))
    asked = params.get("tab")
    if asked in offered:
        return asked
    if not supervisor:
        return "mine"
    escalated = selectors.visible_to(request.user).filter(state=State.ESCALATED).exists()
    return "escalated" if escalated else "all"


def with_preview(cases: Any) -> Any:
    """Each case with `preview`: the buyer's last message, cut to PREVIEW_LENGTH characters, in
    the same query as the rows (a subquery per row of the page, by the index of a case's inbound
    contacts); the row falls back to the core problem."""
    last_inbound = (Contact.objects.filter(case=OuterRef("pk"), direction=Direction.INBOUND)
                    .order_by("-at", "-id").values("body")[:1])
    return cases.annotate(preview=Substr(Subquery(last_inbound), 1, PREVIEW_LENGTH))


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    return render_queue(request, request.GET)


def render_queue(request: HttpRequest, params: QueryDict, *, problem: str = "",
                 status: int = 200) -> HttpResponse:
    """The queue for these parameters (the page's own, or those a bulk action came from)."""
    supervisor = supervises(request.user)
    tab = landing_tab(request, params, supervisor)
    sort = params.get("sort") if params.get("sort") in SORTS else DEFAULT_SORT
    shops = shops_of(request.user)
    form = QueueFilter(params or None, shops=shops)
    values = form.cleaned_data if form.is_valid() else {}
    try:
        cases = tab_cases(request.user, tab, values)
    except InvalidInput as error:
        # A blank or too long search: the reason beside the box, and no cases.
        form.add_error("q", error.errors["search"])
        values, cases = {}, Case.objects.none()
    # Counts per state of this tab and filter (one GROUP BY), before the state filter narrows it;
    # the newest case id among them tells the live updates which cases are new.
    by_state = state_counts(cases)
    counts = {state: row["n"] for state, row in by_state.items()}
    if values.get("state"):
        cases = selectors.filter_queue(cases, request.user, states=[values["state"]])
    cases = with_preview(cases.order_by(*SORTS[sort])).values("id", *ROW_FIELDS, "preview")
    paginator = Paginator(cases, PAGE_SIZE)
    # The counts per state add up to the pages' total: no second COUNT over the same cases.
    paginator.count = (counts.get(values["state"], 0) if values.get("state")
                       else sum(counts.values()))
    page = paginator.get_page(params.get("page"))
    rows = queue_rows([QueueCase(values) for values in page])
    bulk = supervisor and bool(rows)
    params = params.copy()
    params["tab"] = tab  # the links below keep the tab, chosen or landed on
    query = _query_without(params, "page")
    per_tab = tab_counts(request.user, values, supervisor) if not form.errors else {}
    return render(request, "pages/queue.html", {
        "tab": tab, "tabs": [(key, label, per_tab.get(key)) for key, label in tabs_for(
            supervisor).items()],
        "chips": chips(params, values),
        "live": {"query": query, "after": max([row["top"] for row in by_state.values()] + [0]),
                 "ids": ",".join(str(row["id"]) for row in rows)},
        "form": form, "page": page, "rows": rows,
        "counts": [(State(s).label, s, counts[s]) for s in State.values if counts.get(s)],
        "query": query, "tab_query": _query_without(params, "tab", "page"),
        "columns": _sort_links(params, sort),
        "bulk": bulk, "bulk_actions": BULK_ACTIONS,
        "agents": _agents_of(request.user) if bulk else [],
        "problem": problem,
        "back": _back_to(params, tab, page.number),
    }, status=status if not form.errors else 400)


def _back_to(params: QueryDict, tab: str, page: int) -> str:
    """The query that shows this tab, filters, sort and page again (after a bulk action)."""
    back = params.copy()
    back["tab"] = tab
    back.pop("page", None)
    if page > 1:
        back["page"] = str(page)
    return back.urlencode()


def _sort_links(params: QueryDict, sort: str) -> dict[str, dict[str, str]]:
    """Per sortable column: the query that sorts by it (the other way when it is the current
    one) and its aria-sort ("ascending", "descending" or "none")."""
    links = {}
    for column, first in SORTABLE.items():
        current = sort.lstrip("-") == column
        wanted = (column if sort.startswith("-") else f"-{column}") if current else first
        query = params.copy()
        query.pop("page", None)
        query["sort"] = wanted
        links[column] = {
            "query": query.urlencode(),
            "aria": ("descending" if sort.startswith("-") else "ascending") if current else "none",
        }
    return links


def _agents_of(user: Any) -> list[str]:
    """The usernames of the agents of the shops this supervisor works in (bulk assign/hand over)."""
    agents = get_user_model().objects.filter(is_active=True, groups__name=AGENT)
    if not user.is_superuser:
        agents = agents.filter(shops__in=roles_of(user)[1])
    return list(agents.order_by("username").values_list("username", flat=True).distinct())


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """A supervisor's action on the rows they selected: each case through services.run_bulk, then
    back to the same tab, filters and page, saying what was done and what was refused and why."""
    back = QueryDict(request.POST.get("back", ""))
    if not supervises(request.user):
        raise PermissionDenied
    try:
        results = services.run_bulk(
            by=request.user, action=request.POST.get("action", ""),
            ids=request.POST.getlist("ids"),
            data={key: request.POST[key] for key in ("to", "reason") if key in request.POST})
    except NotAllowed as error:
        raise PermissionDenied(str(error.message)) from None
    except InvalidInput as error:
        return render_queue(request, back, status=400, problem=" ".join(
            [str(error.message), *_problems(error)]))
    done = [r for r in results if r.status == DONE]
    refused = [r for r in results if r.status != DONE]
    summary = gettext("%(done)s done, %(refused)s refused") % {
        "done": len(done), "refused": len(refused)}
    if refused:
        summary += ": " + "; ".join(f"#{r.id} — {r.reason}" for r in refused)
    (messages.warning if refused else messages.success)(request, summary)
    return redirect(f"{reverse('queue')}?{back.urlencode()}" if back else reverse("queue"))


def _problems(error: InvalidInput) -> list[str]:
    return [str(p) for field in error.errors.values()
            for p in (field if isinstance(field, list | tuple) else [field])]


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


class QueueCase:
    """A row's case as its values (no model instance: the page reads 50 at a time), with the
    attributes deadlines.running and the badges read, and its shop's time zone."""

    __slots__ = ("__dict__",)

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__ = values
        self.pk = values["id"]


def queue_rows(cases: list[QueueCase]) -> list[dict[str, Any]]:
    """What each row shows, as text: the template only places it (no lookups per row), and
    labels, URLs and the shops' warning leads are looked up once per page."""
    now = timezone.now()
    # each label translated once per page, not once per row
    kinds = {key: str(label) for key, label in Kind.choices}
    states = {key: str(label) for key, label in State.choices}
    names = {key: str(name) for key, name in deadline_names().items()}
    case_url, claim_url = reverse("case", args=[0]), reverse("claim", args=[0])
    leads = warning_leads(cases)
    rows = []
    for case in cases:
        upcoming = deadlines.running(case)
        deadline = upcoming[0].name if upcoming else ""
        currency, lead = case.order__currency, leads.get((case.shop_id, case.kind),
                                                         DEFAULT_WARNING_LEAD)
        preview = " ".join((case.preview or case.core_problem or "").split())
        assignee = case.assignee__username or ""
        rows.append({
            "id": case.pk, "url": case_url.replace("/0/", f"/{case.pk}/"),
            "kind": kinds.get(case.kind, case.kind),
            "state": case.state, "state_label": states.get(case.state, case.state),
            "buyer": case.customer__handle if case.customer_id else "—",
            "order": case.order__number if case.order_id else "—",
            "preview": preview[:PREVIEW_LENGTH - 1] + "…" if len(preview) >= PREVIEW_LENGTH
            else preview,
            "age": duration_words((now - case.opened_at).total_seconds() / 3600),
            "amount": ("—" if case.claimed_amount is None
                       else money(case.claimed_amount, currency if case.order_id else None)),
            "assignee": assignee or "—",
            "assignee_name": assignee,
            "deadline": names.get(deadline, deadline) if case.next_due_at else "",
            # the marketplace's deadline is named by its rule (refund request left unanswered, …)
            "rule": (rule_name(case.marketplace_rule)
                     if deadline == deadlines.MARKETPLACE and case.marketplace_rule else ""),
            "left": time_left(case.next_due_at, now),
            "due": in_shop_tz(case.next_due_at, case.shop__time_zone),
            "urgency": urgency(case.next_due_at, now, lead),
            "threats": threat_badges(case),
            "claim_url": (claim_url.replace("/0/", f"/{case.pk}/")
                          if case.assignee_id is None and case.state != State.CLOSED else ""),
        })
    return rows


def warning_leads(cases: list[QueueCase]) -> dict[tuple[int, str], timedelta]:
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


def _query_without(params: QueryDict, *names: str) -> str:
    params = params.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
