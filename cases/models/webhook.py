from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventStatus(models.TextChoices):
    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Ignored")
    REFUSED = "refused", _("Refused")
    MALFORMED = "malformed", _("Malformed")


class WebhookEvent(models.Model):
    """One event a marketplace sent, kept for inspection; the same event id twice has one effect."""

    shop = models.ForeignKey("cases.Shop", on_delete=models.CASCADE, related_name="webhook_events",
                             verbose_name=_("shop"))
    event_id = models.CharField(_("event id"), max_length=200, blank=True, default="")
    type = models.CharField(_("type"), max_length=40, blank=True, default="")
    created = models.DateTimeField(_("created by the marketplace"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=EventStatus.choices)
    detail = models.TextField(_("detail"), blank=True, default="")
    body = models.TextField(_("body as received"), blank=True, default="")
    # The request's headers (no cookie or credential), to see who sent it and how.
    headers = models.JSONField(_("headers as received"), blank=True, default=dict)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("case"))

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at", "-id"]
        constraints = [
            # Idempotency: an event id is applied once per shop (malformed bodies have none).
            models.UniqueConstraint(fields=["shop", "event_id"], condition=~Q(event_id=""),
                                    name="webhook_event_once"),
        ]
        indexes = [
            # "Is there a newer event already applied to this case?" (out-of-order events).
            models.Index(fields=["case", "created"], name="webhook_case_created"),
        ]

    def __str__(self) -> str:
        return f"{self.type or '?'} {self.event_id or '(no id)'}"
