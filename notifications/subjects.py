"""What reminders are about, told to notifications by the app that makes them.

Notifications knows how to tell someone, once, at the right time: claim due reminders, deliver them
on every channel, write the attempts, make a digest of a flood. What a reminder is about (a case:
whether it is still due, who hears it, what it says) belongs to the app that made it, which registers
its `Subject` once at start-up (`cases/apps.py` registers `cases.reminder_subject.CaseReminders`).
So notifications imports none of its callers' modules, and dependencies run one way
(`tests/architecture/test_dependencies.py`, the contracts in pyproject.toml).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:
    from notifications.models import Notification, Reminder


@dataclass(frozen=True)
class Verdict:
    """What to do with a claimed reminder, decided again at send time."""

    action: str  # deliver | cancel | reschedule
    reason: str = ""
    at: datetime | None = None


DELIVER = Verdict("deliver")


class Subject:
    """The questions delivery asks about the thing reminders are about. The defaults tell nobody
    anything in particular: every reminder is delivered, to no one, with its own data."""

    # The relations read with a claimed batch (under its lock), so that the checks cost no query.
    related: tuple[str, ...] = ()

    def check(self, reminder: Reminder, now: datetime) -> Verdict:
        """Is the reminder still to be sent, now?"""
        return DELIVER

    def recipients(self, reminders: list[Reminder]) -> dict[int, list[int]]:
        """Who each reminder goes to: {reminder id: user ids}."""
        return {r.pk: [] for r in reminders}

    def data(self, reminder: Reminder) -> dict[str, Any]:
        """What the notification carries, to be worded in the reader's language later."""
        return dict(reminder.data)

    def digest_data(self, due: list[Reminder]) -> dict[str, Any]:
        """What a digest of these reminders carries."""
        return {"count": len(due)}

    def render(self, notification: Notification) -> tuple[str, str]:
        """(title, body) in the active language."""
        return str(notification.get_kind_display()), ""

    def deadline_names(self) -> dict[str, str]:
        """The names of the deadlines reminders may be about, in the active language."""
        return {}

    def visible_reminders(self, user: Any, rows: QuerySet[Reminder]) -> QuerySet[Reminder]:
        """The reminders this staff user may see in the admin."""
        return rows if user.is_superuser else rows.none()


_registered: list[Subject] = [Subject()]


def register(subject: Subject) -> None:
    """Called once, from the registering app's `ready()`."""
    _registered[0] = subject


def subject() -> Subject:
    return _registered[0]
