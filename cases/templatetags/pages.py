"""Template helpers for the pages: times in the shop's time zone, time left, labels."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils.translation import gettext as _

from cases.models import Kind, State, ThreatCode
from cases.money import as_read
from cases.templatetags.report_units import duration_words, percent

register = template.Library()


@register.filter
def in_shop_tz(value: datetime | None, shop: Any) -> str:
    """2026-11-25 14:30, in the shop's time zone (`shop` a shop, or its time zone's name)."""
    if value is None:
        return ""
    zone = shop if isinstance(shop, str) else shop.time_zone
    return f"{value.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}"


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
def money(amount: Any, currency: str | None = "CNY") -> str:
    """¥128.00, US$25.50, 12.50 CHF; "—" for no amount (cases/money.py)."""
    return as_read(amount, currency)


# The reports' units, also under these names here (cases/templatetags/report_units.py).
register.filter("percent", percent)
register.filter("duration", duration_words)


@register.filter
def state_label(value: str) -> str:
    return State(value).label if value in State.values else value


@register.filter
def kind_label(value: str) -> str:
    return Kind(value).label if value in Kind.values else value


@register.filter
def deadline_label(name: str) -> str:
    from cases.reminder_texts import deadline_names

    return deadline_names().get(name, name)




@register.filter
def stars(rating: int | None) -> str:
    """★★☆☆☆ for 2 of 5."""
    if rating is None:
        return ""
    rating = max(0, min(5, int(rating)))
    return "★" * rating + "☆" * (5 - rating)


@register.simple_tag
def live_poll_seconds() -> str:
    """How often an open page asks what changed (pages/live.js), in seconds."""
    from cases.pages.live import poll_seconds

    return f"{poll_seconds():g}"
@register.filter
def threat_badges(case: Any) -> list[dict[str, str]]:
    """The threats flagged on a case as its badges show them: the kind's name in the reader's
    language and the buyer's words that triggered it ("Legal action" · “律师”, “法院”)."""
    names = dict(ThreatCode.choices)
    return [{"code": flag["code"], "name": str(names.get(flag["code"], flag["code"])),
             "matched": "、".join(flag.get("matched") or []) if _is_chinese(flag)
             else ", ".join(flag.get("matched") or [])}
            for flag in getattr(case, "threats", None) or []]


def _is_chinese(flag: dict[str, Any]) -> bool:
    return any(not word.isascii() for word in flag.get("matched") or [])
