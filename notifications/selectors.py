"""Reads of a person's notifications (their in-app inbox)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cases.permissions import shop_scope
from notifications.models import Notification


def received_by(user: Any) -> QuerySet[Notification]:
    """The notifications this reader may see: their own; through an API token, only those about
    cases of the token's shop (the token's scope applies to the inbox as to every case list)."""
    rows = Notification.objects.filter(recipient=user)
    scope = shop_scope(user)
    if scope is not None:
        rows = rows.filter(case__shop_id__in=scope)
    return rows


def inbox(user: Any, *, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's notifications, newest first (index notification_inbox); unread/read only if asked.

    Only the fields the texts are rendered from: no join, no query per row.
    """
    rows = received_by(user)
    if unread is not None:
        rows = rows.filter(read_at__isnull=unread)
    return rows.order_by("-created_at", "-id").only(
        "id", "kind", "case_id", "data", "created_at", "read_at")


def unread_count(user: Any) -> int:
    """What the bell shows (partial index notification_unread)."""
    return received_by(user).filter(read_at__isnull=True).count()
