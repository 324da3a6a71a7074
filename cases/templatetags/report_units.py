"""Units people read on the reports: durations in days and hours ("2 d 14 h", 2天14小时), shares
as percentages ("85 %"), money with its currency (cases/money.py).

    {% load report_units %}  {{ row.median_hours|duration }}  {{ row.refund_rate|percent }}
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils.translation import gettext as _

from cases.money import as_read

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """0.8512 → "85 %" (a share of one, as people read it); under 1 % but more than none → "<1 %";
    None → "—"."""
    if share is None:
        return "—"
    if 0 < share < 0.005:
        return "<1 %"
    return f"{round(share * 100):d} %"


def duration_words(hours: float | timedelta | None) -> str:
    """Hours (or a timedelta) as people read them: "2 d 14 h", "3 h 20 min", "14 min",
    "under 1 min"; None → "—"."""
    if hours is None or hours == "":
        return "—"
    if isinstance(hours, timedelta):
        hours = hours.total_seconds() / 3600
    minutes = round(float(hours) * 60)
    days, rest = divmod(minutes, 24 * 60)
    whole_hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": whole_hours}
    if whole_hours:
        return _("%(h)s h %(m)s min") % {"h": whole_hours, "m": mins}
    return _("%(m)s min") % {"m": mins} if mins else _("under 1 min")


register.filter("duration", duration_words)


@register.filter
def money(amount: Any, currency: str | None = "CNY") -> str:
    """¥128.00, US$25.50, 12.50 CHF; "—" for no amount."""
    return as_read(amount, currency)
