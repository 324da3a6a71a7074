"""Reads of a person's notifications (their in-app inbox)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Coalesce

from config.roles import shop_scope
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
    rows = received_by(user).filter(digest__isnull=True)  # what a digest told is in the digest
    if unread is not None:
        rows = rows.filter(read_at__isnull=unread)
    return rows.order_by("-created_at", "-id").only(
        "id", "kind", "case_id", "data", "created_at", "read_at")


def unread_count(user: Any) -> int:
    """What the bell shows (partial index notification_unread)."""
    return received_by(user).filter(read_at__isnull=True).count()


def inbox_by_case(user: Any) -> QuerySet:
    """The user's inbox as one row per case (a notification about no case is a group of its own),
    the group with the newest notification first: case_id, newest, count, unread."""
    return (received_by(user).filter(digest__isnull=True)
            .values("case_id", group=Coalesce("case_id", -F("id")))
            .annotate(newest=Max("created_at"), count=Count("id"),
                      unread=Count("id", filter=Q(read_at__isnull=True)))
            .order_by("-newest", "-group"))


def in_groups(user: Any, groups: list[dict[str, Any]], *, per_group: int) -> dict[int, list]:
    """The newest `per_group` notifications of each group on the page, by group (one query)."""
    case_ids = [g["case_id"] for g in groups if g["case_id"] is not None]
    loose = [-g["group"] for g in groups if g["case_id"] is None]
    found: dict[int, list] = {g["group"]: [] for g in groups}
    for n in inbox(user).filter(Q(case_id__in=case_ids) | Q(pk__in=loose)):
        key = n.case_id if n.case_id is not None else -n.pk
        if len(found[key]) < per_group:
            found[key].append(n)
    return found
