"""Adding a period to a moment in the shop's time zone: hours, calendar days or business days.

A business day is a weekday that is not one of the shop's holidays. `n` business days after a moment
is the same local time of day on the n-th business day after that moment's date: Friday 15:00 plus
3 business days is Wednesday 15:00, and a Saturday request starts counting on Monday.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

SATURDAY = 5


def is_business_day(day: date, holidays: Collection[date] = ()) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_business_days(start: datetime, days: int, tz: ZoneInfo,
                      holidays: Collection[date] = ()) -> datetime:
    local = start.astimezone(tz)
    day = local.date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_business_day(day, holidays):
            counted += 1
    # Rebuild the wall-clock time on that day (DST-safe: the zone gives that day's offset).
    return datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=tz)


def add_period(start: datetime, amount: int, unit: str, tz: ZoneInfo,
               holidays: Collection[date] = ()) -> datetime:
    """`unit` is one of cases.models.Unit: hours, days (calendar) or business_days."""
    if unit == "hours":
        return start + timedelta(hours=amount)
    if unit == "days":
        local = start.astimezone(tz)
        return datetime.combine(local.date() + timedelta(days=amount),
                                local.timetz().replace(tzinfo=None), tzinfo=tz)
    if unit == "business_days":
        return add_business_days(start, amount, tz, holidays)
    raise ValueError(f"unknown unit {unit!r}")
