"""Refund approval for supervisors: the refunds awaiting them (first on the escalations page) and
the shop's limits (a settings page)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import selectors, services
from cases.approval import NEEDS_APPROVAL, reasons_text
from cases.models import Kind, Remedy, Shop, TimelineEvent
from cases.pages.supervision import ago, require_supervisor
from cases.services.approval_limits import FIELDS
from cases.templatetags.pages import in_shop_tz, money, time_left
from config.service_errors import InvalidInput, ServiceError

# The escalations page shows this many; the rest are in the queue (state: awaiting approval).
SHOWN = 25


def approval_rows(user: Any) -> dict[str, Any]:
    """The refunds awaiting this supervisor's approval, the most urgent first, as the include
    pages/approvals_waiting.html shows them (three queries: the cases, their requests, the count)."""
    cases = list(selectors.awaiting_approval(user).select_related("shop", "assignee", "order")
                 .defer("description", "core_problem", "buyer_name", "buyer_phone",
                        "buyer_address", "order__items")[:SHOWN])
    asked = dict(TimelineEvent.objects.filter(
        pk__in=[c.asked_event_id for c in cases if c.asked_event_id]).values_list("pk", "data"))
    now, kinds = timezone.now(), dict(Kind.choices)
    rows = []
    for case in cases:
        currency = case.order.currency if case.order_id else None
        rows.append({
            "id": case.pk, "url": reverse("case", args=[case.pk]),
            "kind": kinds.get(case.kind, case.kind),
            "remedy": Remedy(case.chosen_remedy).label if case.chosen_remedy in Remedy.values
            else "",
            "amount": money(case.remedy_amount, currency),
            "paid": money(case.order.paid_amount, currency) if case.order_id else "—",
            "why": reasons_text((asked.get(case.asked_event_id) or {}).get(NEEDS_APPROVAL)),
            "by": case.asked_by_name or "", "ago": ago(case.asked_at, now),
            "at": in_shop_tz(case.asked_at, case.shop),
            "left": time_left(case.next_due_at, now), "due": in_shop_tz(case.next_due_at, case.shop),
            "approve_url": reverse("transition", args=[case.pk, "approve_remedy"]),
            "decline_url": reverse("transition", args=[case.pk, "decline_remedy"]),
        })
    more = (selectors.awaiting_approval(user).count() if len(cases) == SHOWN else len(cases))
    return {"approvals": rows, "approvals_total": more,
            "approvals_queue": f"{reverse('queue')}?tab=all&state=awaiting_approval"}


class LimitsForm(forms.Form):
    """What the page shows; the service validates (cases/services/approval_limits.py)."""

    refund_approval_above = forms.CharField(
        label=_("A refund above this amount"), required=False,
        help_text=_("In the order's currency: 1000 means ¥1,000.00 for an order paid in yuan. "
                    "Empty: no limit by amount."))
    refund_approval_share = forms.CharField(
        label=_("A refund above this share of the paid amount (0 to 1)"), required=False,
        help_text=_("From 0 to 1, e.g. 0.5 for half of what was paid. Empty: no limit by share."))
    refund_approval_after_refunds = forms.CharField(
        label=_("A buyer with this many refunds in the last 90 days"), required=False,
        help_text=_("Empty: no limit by the buyer's earlier refunds."))


def _initial(shop: Shop) -> dict[str, str]:
    return {f: "" if getattr(shop, f) is None else str(getattr(shop, f)) for f in FIELDS}


@login_required
def refund_approval_limits(request: HttpRequest) -> HttpResponse:
    """GET: the limits of one of the supervisor's shops (?shop=code); POST: set them. Bad input:
    400, the reason beside each field, what was typed kept."""
    shop_ids = require_supervisor(request.user)
    shops = list(Shop.objects.filter(id__in=shop_ids).order_by("name"))
    if not shops:
        raise Http404(_("You supervise no shop."))
    code = request.POST.get("shop") or request.GET.get("shop") or shops[0].code
    shop = next((s for s in shops if s.code == code), None)
    if shop is None:
        raise Http404(_("There is no shop %(id)s.") % {"id": code})
    status = 200
    if request.method == "POST":
        form = LimitsForm(request.POST)
        form.is_valid()
        try:
            services.set_refund_approval_limits(shop_id=shop.pk, by=request.user,
                                                data={f: request.POST.get(f, "") for f in FIELDS})
        except InvalidInput as error:
            for field, problems in error.errors.items():
                for problem in problems if isinstance(problems, list) else [problems]:
                    form.add_error(field if field in FIELDS else None, str(problem))
            status = 400
        except ServiceError as error:
            messages.error(request, str(error.message))
            status = 403
        else:
            messages.success(request, _("Saved: the approval limits of %(shop)s.")
                             % {"shop": shop.name})
            return redirect(f"{reverse('refund_approval_limits')}?shop={shop.code}")
    else:
        form = LimitsForm(initial=_initial(shop))
    return render(request, "pages/refund_approval_limits.html", {
        "form": form, "shop": shop, "shops": shops}, status=status)
