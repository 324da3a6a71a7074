"""What a notification says, in the reader's language: worded by the app its reminders are about
(notifications/subjects.py; for cases, cases/reminder_texts.py)."""

from __future__ import annotations

from notifications.models import Notification
from notifications.subjects import subject


def render(notification: Notification) -> tuple[str, str]:
    """(title, body) in the active language."""
    return subject().render(notification)


def deadline_names() -> dict[str, str]:
    """The deadlines' names, as the registered subject words them (for pages that still ask here;
    the cases' own pages read cases.reminder_texts.deadline_names)."""
    return subject().deadline_names()
