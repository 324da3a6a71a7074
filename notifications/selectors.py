"""Reads of a person's notifications (their in-app inbox)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from notifications.models import Notification


def inbox(user: Any, *, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's notifications, newest first (index notification_inbox); unread/read only if asked.

    Only the fields the texts are rendered from: no join, no query per row.
    """
    rows = Notification.objects.filter(recipient=user)
    if unread is not None:
        rows = rows.filter(read_at__isnull=unread)
    return rows.order_by("-created_at", "-id").only(
        "id", "kind", "case_id", "data", "created_at", "read_at")


def unread_count(user: Any) -> int:
    """What the bell shows (partial index notification_unread)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
