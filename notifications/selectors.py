"""Reads of a person's notifications (their in-app inbox)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from notifications.models import Notification


def inbox(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first (index notification_inbox)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id").only(
        "id", "kind", "case_id", "data", "created_at", "read_at")


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
