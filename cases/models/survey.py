"""The buyer's satisfaction survey (CSAT) after a case closed as resolved (cases/surveys.py)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SurveyState(models.TextChoices):
    NOT_SENT = "not_sent", _("Not sent")
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")


class Survey(models.Model):
    """One invitation: its link is `signing.dumps(nonce)` (cases/surveys.py), so only a link this
    server signed opens it; it is answered once and expires."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="surveys",
                             verbose_name=_("case"))
    nonce = models.CharField(_("link key"), max_length=32, unique=True, editable=False)
    state = models.CharField(_("state"), max_length=12, choices=SurveyState.choices,
                             default=SurveyState.SCHEDULED)
    # Why it was not sent (do_not_contact, contact_limit, no_connector, no_buyer, asked_recently).
    reason = models.CharField(_("why not sent"), max_length=32, blank=True, default="")
    created_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    send_at = models.DateTimeField(_("to be sent at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires at"))
    contact = models.ForeignKey("cases.Contact", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("message"))
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, default="")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="survey_rating_1_to_5"),
        ]
        indexes = [
            # The sweep: surveys waiting for the end of the buyer's quiet hours, the earliest first.
            models.Index(fields=["send_at", "id"], name="survey_scheduled",
                         condition=models.Q(state="scheduled")),
            # The satisfaction report: surveys sent or answered in a period.
            models.Index(fields=["sent_at"], name="survey_sent_at"),
        ]

    def __str__(self) -> str:
        return f"survey #{self.pk} ({self.state})"
