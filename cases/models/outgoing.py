"""Case state changes sent to a shop's own system (optional per shop), one row per event."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import Attempt


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    CLAIMED = "claimed", _("Being sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed (gave up)")


class OutgoingWebhook(models.Model):
    """A state change to POST to the shop's URL: sent by a Celery task after the change commits,
    claimed and retried with backoff like a reminder (config/claims.py), every POST an
    OutgoingAttempt row; the row is the truth, the task is only the nudge."""

    shop = models.ForeignKey("cases.Shop", on_delete=models.CASCADE,
                             related_name="outgoing_webhooks", verbose_name=_("shop"))
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("case"))
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("type"), max_length=40)
    payload = models.JSONField(_("payload"))
    state = models.CharField(_("state"), max_length=12, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, default="")
    last_error = models.TextField(_("last error"), blank=True, default="")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing webhook")
        verbose_name_plural = _("outgoing webhooks")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The retry sweep: pending rows whose next attempt is due, oldest first.
            models.Index(fields=["next_attempt_at", "id"], name="outgoing_due",
                         condition=models.Q(state="pending")),
            # Stale claims: WHERE state = 'claimed' AND claimed_at < now - timeout.
            models.Index(fields=["claimed_at"], condition=models.Q(state="claimed"),
                         name="outgoing_claimed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class OutgoingAttempt(Attempt):
    """One POST of an outgoing webhook to the shop's system, with its outcome (and what went wrong)."""

    webhook = models.ForeignKey(OutgoingWebhook, on_delete=models.CASCADE, related_name="tries",
                                verbose_name=_("outgoing webhook"))

    class Meta:
        verbose_name = _("sending attempt")
        verbose_name_plural = _("sending attempts")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["webhook", "at"], name="outgoing_attempt_webhook")]
