"""Marking notifications read: the only change a person makes to their inbox."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.errors import NotFound
from notifications.models import Notification
from notifications.selectors import received_by


def mark_read(*, notification_id: int, by: Any) -> Notification:
    """Mark one of the user's notifications read (again: no change). Someone else's, or one outside
    the reader's token scope: NotFound."""
    notification = received_by(by).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound(_("There is no notification %(id)s.") % {"id": notification_id})
    if notification.read_at is None:
        now = timezone.now()
        marked = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now)
        if marked:
            notification.read_at = now
        else:  # another request (tab, read-all) marked it first: answer with its time
            notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, by: Any) -> int:
    """Mark all the user's unread notifications read (within a token's scope); returns how many."""
    return received_by(by).filter(read_at__isnull=True).update(
        read_at=timezone.now())
