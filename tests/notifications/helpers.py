"""Running the reminder sweep in the test's process, as `manage.py send_due_reminders` does."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from notifications.delivery import deliver_reminders
from notifications.sweep import SweepReport, sweep


def deliver_due(now: datetime | None = None, **kwargs) -> SweepReport:
    """One sweep at `now` (default: the real now), each claimed batch delivered at once."""
    return sweep(now=now, deliver=lambda claim: deliver_reminders(claim.ids, claim.token, now=now),
                 **kwargs)


def later(**delta: float) -> datetime:
    return timezone.now() + timedelta(**delta)
