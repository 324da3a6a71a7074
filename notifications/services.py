"""Marking notifications read (the only change a person makes to their inbox), and the messages
that are not reminders: an evidence pack built by a worker is ready."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.service_errors import NotFound
from notifications.models import Notification, ReminderKind
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


def tell_evidence_pack_ready(*, recipient: Any, case_id: int, pack_id: int) -> Notification:
    """The evidence pack someone asked for is built: their inbox links to the download."""
    return Notification.objects.create(
        recipient=recipient, case_id=case_id, kind=ReminderKind.EVIDENCE_PACK_READY,
        data={"case_id": case_id, "pack_id": pack_id,
              "url": f"/api/v1/cases/{case_id}/evidence-pack/{pack_id}/"})
