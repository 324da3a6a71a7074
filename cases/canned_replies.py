"""Quick replies (快捷短语) read for a user or a case, and filled for a case.

A reply's variables (cases/reply_variables.py) are filled by the server; one with no value for the
case (no order, no deadline running …) stays as `{name}`, and a message with one left cannot be sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cases import deadlines
from cases.models import CannedReply, Case, Shop
from cases.money import as_read
from cases.permissions import AGENT, SUPERVISOR, roles_of
from cases.reply_variables import PLACEHOLDER
from cases.selectors import visible_to
from config.service_errors import NotFound


def values_for(case: Case, agent: Any) -> dict[str, str]:
    """Each variable that has a value for this case, in the active language (no query when the
    case's shop, order and customer are loaded with it)."""
    values: dict[str, str] = {"shop": case.shop.name}
    buyer = case.buyer_name or (case.customer.handle if case.customer_id else "")
    if buyer:
        values["buyer"] = buyer
    order = case.order if case.order_id else None
    if order is not None:
        values["order"] = order.number
    amount = next((a for a in (case.remedy_amount, case.claimed_amount,
                               order.paid_amount if order else None) if a is not None), None)
    if amount is not None:
        values["amount"] = as_read(amount, order.currency if order else "CNY")
    if case.chosen_remedy:
        values["remedy"] = str(case.get_chosen_remedy_display())
    running = deadlines.running(case)
    if running:
        values["deadline"] = f"{running[0].due_at.astimezone(ZoneInfo(case.shop.time_zone)):%Y-%m-%d %H:%M}"
    if agent is not None:
        values["agent"] = agent.get_full_name() or agent.get_username()
    return values


def fill_with(body: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def fill(reply_body: str, case: Case, agent: Any, *, language: str | None = None) -> str:
    """The reply's text with this case's values; a variable without one stays as `{name}`.
    language: the reply's language, for the remedy's label (default: the active language)."""
    with translation.override(language or translation.get_language()):
        return fill_with(reply_body, values_for(case, agent))


def case_to_fill(user: Any, case_id: int) -> Case:
    """The case with what its variables read (shop, order, buyer), if this user may see it; one
    query. NotFound otherwise (no such case and not theirs are not told apart)."""
    case = visible_to(user).select_related("shop", "order", "customer").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("There is no case %(id)s.") % {"id": case_id})
    return case


def managed_shops(user: Any) -> QuerySet[Shop]:
    """The shops whose quick replies this user writes: every shop for an admin, else those they
    supervise."""
    if user.is_active and user.is_superuser:
        return Shop.objects.all()
    groups, shop_ids = roles_of(user)
    return Shop.objects.filter(pk__in=shop_ids if SUPERVISOR in groups else [])


def live_replies(user: Any, *, shop_ids: Iterable[int] | None = None, kind: str | None = None,
                 language: str = "") -> QuerySet[CannedReply]:
    """The quick replies this user may use (of their shops; every shop for an admin), not
    archived: of `shop_ids` only, when given; fitting `kind` (its own and any kind), when given."""
    replies = CannedReply.objects.filter(archived=False)
    if not (user.is_active and user.is_superuser):
        groups, mine = roles_of(user)
        replies = replies.filter(shop_id__in=mine if groups & {AGENT, SUPERVISOR} else [])
    if shop_ids is not None:
        replies = replies.filter(shop_id__in=list(shop_ids))
    if kind is not None:
        replies = replies.filter(Q(kind=kind) | Q(kind=""))
    if language:
        replies = replies.filter(language=language)
    return replies.select_related("shop")


def with_filled(replies: Iterable[CannedReply], case: Case | None, agent: Any
                ) -> list[CannedReply]:
    """The replies, each with `filled`: its text filled for the case (None without a case); the
    case's values are read once per language, not once per reply."""
    rows = list(replies)
    by_language: dict[str, dict[str, str]] = {}
    for reply in rows:
        if case is None:
            reply.filled = None
            continue
        if reply.language not in by_language:
            with translation.override(reply.language):
                by_language[reply.language] = values_for(case, agent)
        reply.filled = fill_with(reply.body, by_language[reply.language])
    return rows
