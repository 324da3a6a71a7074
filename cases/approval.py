"""Refund approval: when a refund an agent proposes needs a supervisor of the shop first.

A shop sets up to three limits (all empty by default: no approval, as before): an amount
(`refund_approval_above`), a share of the paid amount (`refund_approval_share`, 0–1) and a count
of the buyer's refunds in the last 90 days (`refund_approval_after_refunds`). A refund that goes
past any of them waits in `awaiting_approval` until a supervisor approves it (the remedy is then
proposed) or declines it (back to listening, with the reason).

The rule is the target of the workflows' proposing transitions (`propose` of a dispute, `remedy`
of a negative-review case), so every road that proposes (API, pages, admin, bulk, webhooks, demo)
meets it; supervisors and admins, who approve, propose without asking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models.case import MONEY_REMEDIES, Case, State
from cases.money import as_read

REFUNDS_LOOKBACK = timedelta(days=90)
ABOVE, SHARE, AFTER_REFUNDS = "above", "share", "after_refunds"
# The timeline event's data key that holds why a proposal waits for approval.
NEEDS_APPROVAL = "needs_approval"
APPROVE, DECLINE = "approve_remedy", "decline_remedy"


@dataclass(frozen=True)
class Limits:
    above: Decimal | None
    share: Decimal | None
    after_refunds: int | None

    @property
    def any(self) -> bool:
        return self.above is not None or self.share is not None or self.after_refunds is not None


def limits_of(shop: Any) -> Limits:
    return Limits(shop.refund_approval_above, shop.refund_approval_share,
                  shop.refund_approval_after_refunds)


def refunds_in_lookback(case: Case) -> int:
    """The buyer's other refunds resolved in the last 90 days (any kind of case of this shop)."""
    if case.customer_id is None:
        return 0
    return Case.objects.filter(
        customer_id=case.customer_id, chosen_remedy__in=MONEY_REMEDIES,
        resolved_at__gte=timezone.now() - REFUNDS_LOOKBACK,
    ).exclude(pk=case.pk).count()


def reasons_for(case: Case, *, remedy: str, amount: Decimal | None) -> list[dict[str, str]]:
    """Why this refund needs a supervisor (empty: it does not), as data kept on the timeline."""
    limits = limits_of(case.shop)
    if remedy not in MONEY_REMEDIES or not limits.any:
        return []
    currency = case.order.currency if case.order_id else "CNY"
    reasons = []
    if limits.above is not None and amount is not None and amount > limits.above:
        reasons.append({"rule": ABOVE, "amount": str(amount), "limit": str(limits.above),
                        "currency": currency})
    paid = case.order.paid_amount if case.order_id else None
    if limits.share is not None and amount is not None and paid:
        share = amount / paid
        if share > limits.share:
            reasons.append({"rule": SHARE, "share": f"{share:.3f}", "limit": str(limits.share)})
    if limits.after_refunds is not None:
        count = refunds_in_lookback(case)
        if count >= limits.after_refunds:
            reasons.append({"rule": AFTER_REFUNDS, "count": str(count),
                            "limit": str(limits.after_refunds)})
    return reasons


def approves_own_proposals(case: Case, by: Any) -> bool:
    """Supervisors of the shop and admins approve; what they propose needs nobody else."""
    return by is not None and by.has_perm("cases.approve_remedy", case)


def state_after_proposal(case: Case, *, by: Any, remedy: str, amount: Decimal | None,
                         proposed: str) -> str:
    """The target of a proposing transition: `proposed` (its workflow's), or `awaiting_approval`
    with the reasons kept on the case object for the timeline event (`case.approval_reasons`)."""
    reasons = [] if approves_own_proposals(case, by) else reasons_for(case, remedy=remedy,
                                                                          amount=amount)
    case.approval_reasons = reasons
    return State.AWAITING_APPROVAL if reasons else proposed


def _percent(value: str) -> str:
    return f"{Decimal(value) * 100:.0f} %"


def reason_text(reason: dict[str, str]) -> str:
    """One reason in the reader's language."""
    rule = reason.get("rule")
    if rule == ABOVE:
        currency = reason.get("currency", "CNY")
        return _("The refund of %(amount)s is above the shop's limit of %(limit)s.") % {
            "amount": as_read(reason["amount"], currency),
            "limit": as_read(reason["limit"], currency)}
    if rule == SHARE:
        return _("The refund is %(share)s of the paid amount, above the shop's limit of "
                 "%(limit)s.") % {"share": _percent(reason["share"]),
                                  "limit": _percent(reason["limit"])}
    if rule == AFTER_REFUNDS:
        count = int(reason["count"])
        return ngettext(
            "The buyer had %(count)s refund in the last 90 days (the shop asks for approval from "
            "%(limit)s).",
            "The buyer had %(count)s refunds in the last 90 days (the shop asks for approval from "
            "%(limit)s).", count) % {"count": count, "limit": reason["limit"]}
    return str(reason)


def reasons_text(reasons: Any) -> str:
    """Why a proposal waits for approval, as one text (empty for anything else)."""
    if not isinstance(reasons, list):
        return ""
    return " ".join(reason_text(r) for r in reasons if isinstance(r, dict))
