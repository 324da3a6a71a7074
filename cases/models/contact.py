from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    CALL = "call", _("Call")
    CHAT = "chat", _("Chat")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("From the buyer")
    OUTBOUND = "outbound", _("To the buyer")


class Outcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    REFUSED = "refused", _("Refused to talk")
    DO_NOT_CONTACT = "do_not_contact", _("Asked not to be contacted")


class Contact(models.Model):
    """One call or message between the shop and the buyer about a case."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="contacts", verbose_name=_("case")
    )
    customer = models.ForeignKey(
        "cases.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, blank=True, default=""
    )
    body = models.TextField(_("what was said"), blank=True, default="")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    # An outbound call or message the shop started: what the contact limit counts. An answer to a
    # buyer who wrote on the case in the last 24 hours is not outreach (cases/contact_policy.py).
    outreach = models.BooleanField(_("outreach"), default=False)
    # The phrases to avoid an outbound message used (PhraseHit.as_dict()): kept as warnings.
    phrase_hits = models.JSONField(_("phrase warnings"), default=list, blank=True)
    # The outgoing event that carries a sent message to the shop's connector (none: the shop has
    # no connector, or the contact was only logged).
    sent_through = models.ForeignKey(
        "cases.OutgoingWebhook", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("sent through"),
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["at", "id"]
        indexes = [
            # A case's contact history and the close guard's "latest contact since resolution".
            models.Index(fields=["case", "at"], name="contact_case_at"),
            # The queue's preview: each row's latest message from the buyer (one index probe).
            models.Index(fields=["case", "-at", "-id"], name="contact_case_inbound",
                         condition=models.Q(direction="inbound")),
            # Contact limits across all of a buyer's cases (outreach in the last days).
            models.Index(fields=["customer", "outreach", "at"], name="contact_customer_outreach_at"),
            # The scorecard: the messages each agent sent in a range (WHERE by_id … AND at >= …
            # AND at < …; outbound, calls are not messages). Calls left out of the index too: an
            # index of every outbound contact walked past each agent's calls, reading each one's
            # row to find its channel (500,000 rows for 100 messages in the benchmark).
            models.Index(fields=["by", "at"], name="contact_messages_by_at",
                         condition=models.Q(direction="outbound") & ~models.Q(channel="call")),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_direction_display()} {self.at:%Y-%m-%d %H:%M}"


class Evidence(models.Model):
    """A photo reference or a description that shows how the item differs from its listing."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="evidence", verbose_name=_("case")
    )
    photo = models.CharField(_("photo reference"), max_length=500, blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(photo="", description=""), name="evidence_not_empty"
            )
        ]

    def __str__(self) -> str:
        return self.photo or self.description[:40]
