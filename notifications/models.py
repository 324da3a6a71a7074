"""Reminders are rows, not delayed Celery tasks; notifications are what a person receives.

A reminder is claimed by the sweep (notifications/sweep.py) with a conditional UPDATE and delivered
once (notifications/delivery.py). A delayed Celery task (ETA/countdown) would be redelivered on the
Redis broker after the visibility timeout and is lost with the broker's memory; a row is neither.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    DEADLINE_WARNING = "deadline_warning", _("Deadline approaching")
    DEADLINE_BREACHED = "deadline_breached", _("Deadline passed")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up call due")
    RETRY_CONTACT = "retry_contact", _("Call the buyer again")
    HANDED_OVER = "handed_over", _("Case handed over to you")
    ESCALATED = "escalated", _("Case escalated")
    EVIDENCE_PACK_READY = "evidence_pack_ready", _("Evidence pack ready")
    THREAT_FLAGGED = "threat_flagged", _("Buyer threatens")
    DIGEST = "digest", _("Reminders that fell due at once")
    APPROVAL_ASKED = "approval_asked", _("Refund awaiting approval")
    REMEDY_APPROVED = "remedy_approved", _("Refund approved")
    REMEDY_DECLINED = "remedy_declined", _("Refund declined")
    SURVEY_LOW = "survey_low", _("A buyer rated the service low")


# The reminders that may be told in one digest when many fall due at once (not a hand-over or an
# escalation: each of those says something of its own).
DIGESTIBLE = frozenset({ReminderKind.DEADLINE_WARNING, ReminderKind.DEADLINE_BREACHED,
                        ReminderKind.FOLLOW_UP_DUE, ReminderKind.RETRY_CONTACT})


class ReminderState(models.TextChoices):
    PENDING = "pending", _("Pending")
    CLAIMED = "claimed", _("Being delivered")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class Audience(models.TextChoices):
    ASSIGNEE = "assignee", _("The assignee")
    ASSIGNEE_AND_SUPERVISORS = "assignee_supervisors", _("The assignee and the shop's supervisors")
    SUPERVISORS = "supervisors", _("The shop's supervisors")


class Reminder(models.Model):
    kind = models.CharField(_("kind"), max_length=24, choices=ReminderKind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reminders",
                             verbose_name=_("case"))
    # Which deadline it is about (cases/deadlines.py names), empty for the others.
    deadline = models.CharField(_("deadline"), max_length=20, blank=True, default="")
    deadline_at = models.DateTimeField(_("deadline at"), null=True, blank=True)
    # Resolved when it is delivered: the assignee then, not when the reminder was made.
    audience = models.CharField(_("for"), max_length=24, choices=Audience.choices)
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(_("state"), max_length=12, choices=ReminderState.choices,
                             default=ReminderState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, default="")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Why it was cancelled or not sent (case closed, deadline met, buyer opted out, …).
    outcome = models.CharField(_("outcome"), max_length=200, blank=True, default="")
    # One reminder per case, kind, deadline and due time: scheduling it twice makes one row.
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "id"]
        indexes = [
            # The sweep: WHERE state = 'pending' AND due_at <= now ORDER BY due_at, id LIMIT n. Partial,
            # so its size is the number of pending reminders, not of every reminder ever sent.
            models.Index(fields=["due_at", "id"], condition=Q(state="pending"),
                         name="reminder_pending_due"),
            # Stale claims: WHERE state = 'claimed' AND claimed_at < now - timeout.
            models.Index(fields=["claimed_at"], condition=Q(state="claimed"),
                         name="reminder_claimed_at"),
            # A case's reminders (scheduling and cancelling when its deadlines change).
            models.Index(fields=["case", "state"], name="reminder_case_state"),
            # Finding a sweep's claimed rows: WHERE claim_token = ….
            models.Index(fields=["claim_token"], condition=Q(state="claimed"),
                         name="reminder_claim_token"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} case {self.case_id} due {self.due_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """A message to one person: their in-app inbox, and what the other channels deliver."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="notifications")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=24, choices=ReminderKind.choices)
    # What the message says is rendered from these in the reader's language (notifications/texts.py).
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Told in this digest instead of on its own (written read, and left out of the inbox): the
    # reminder is still delivered once to this person (notification_once), in the digest.
    digest = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="told", verbose_name=_("digest"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A reminder reaches each person once, however often its delivery is retried.
            models.UniqueConstraint(fields=["reminder", "recipient"], name="notification_once"),
        ]
        indexes = [
            # A person's inbox, newest first (what a digest told is not in it), and the unread count.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox",
                         condition=Q(digest__isnull=True)),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Outcome(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Attempt(models.Model):
    """One try of one channel to deliver something, with its outcome: a row per try, whatever the
    channel (a notification's in-app row and email here; an outgoing webhook's POST in cases)."""

    channel = models.CharField(_("channel"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    error = models.TextField(_("error"), blank=True, default="")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.channel} {self.outcome}"


class DeliveryAttempt(Attempt):
    """One try of one channel to deliver one notification, with its outcome."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE,
                                     related_name="attempts")

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["at", "id"]
        constraints = [
            # A channel sends a notification once: a retry skips what was sent.
            models.UniqueConstraint(fields=["notification", "channel"],
                                    condition=Q(outcome="sent"), name="attempt_sent_once"),
        ]
        indexes = [models.Index(fields=["notification", "channel"], name="attempt_notification")]
