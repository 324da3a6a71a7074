"""Template helpers for the pages: times in the shop's time zone, time left, labels."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils.translation import gettext as _

from cases.models import Kind, State

register = template.Library()


@register.filter
def in_shop_tz(value: datetime | None, shop: Any) -> str:
    """2026-11-25 14:30, in the shop's time zone."""
    if value is None:
        return ""
    return f"{value.astimezone(ZoneInfo(shop.time_zone)):%Y-%m-%d %H:%M}"


@register.filter
def time_left(due: datetime | None, now: datetime | None = None) -> str:
    """'3 h 20 min left' or '2 d 4 h overdue'."""
    if due is None:
        return ""
    from django.utils import timezone

    delta = due - (now or timezone.now())
    overdue = delta < timedelta(0)
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    amount = (_("%(d)s d %(h)s h") % {"d": days, "h": hours} if days
              else _("%(h)s h %(m)s min") % {"h": hours, "m": mins})
    return (_("%(amount)s overdue") if overdue else _("%(amount)s left")) % {"amount": amount}


@register.filter
def state_label(value: str) -> str:
    return State(value).label if value in State.values else value


@register.filter
def kind_label(value: str) -> str:
    return Kind(value).label if value in Kind.values else value


@register.filter
def deadline_label(name: str) -> str:
    from notifications.texts import deadline_names

    return deadline_names().get(name, name)


# How people read an amount in each currency the shops use; others: "528.00 XYZ".
CURRENCY_SIGNS = {"CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$"}


@register.filter
def money(amount: Any, currency: str | None = "CNY") -> str:
    """¥528.00, $1,280.50, 12.00 SGD; "" for no amount."""
    if amount is None or amount == "":
        return ""
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    code = (currency or "CNY").upper()
    sign = CURRENCY_SIGNS.get(code)
    text = f"{value:,.2f}"
    return f"{sign}{text}" if sign else f"{text} {code}"


@register.filter
def stars(rating: int | None) -> str:
    """★★☆☆☆ for 2 of 5."""
    if rating is None:
        return ""
    rating = max(0, min(5, int(rating)))
    return "★" * rating + "☆" * (5 - rating)
