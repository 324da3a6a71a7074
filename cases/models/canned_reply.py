"""A quick reply (快捷短语): a shop's ready-made message an agent inserts by `/shortcut`."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models.case import Kind
from cases.models.shop import Shop

SHORTCUT_PATTERN = r"^[A-Za-z0-9_-]+$"
BODY_MAX = 2000


class ReplyLanguage(models.TextChoices):
    """Each language named in its own words, whatever the page's language."""

    CHINESE = "zh-hans", pgettext_lazy("a language in its own words", "中文")
    ENGLISH = "en", pgettext_lazy("a language in its own words", "English")


class CannedReply(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="canned_replies",
                             verbose_name=_("shop"))
    title = models.CharField(_("title"), max_length=80)
    # Typed after "/" in the reply box; one live reply per shortcut, shop and language.
    shortcut = models.CharField(_("shortcut"), max_length=30, validators=[
        RegexValidator(SHORTCUT_PATTERN, _("Use letters, digits, - and _."))])
    language = models.CharField(_("language"), max_length=8, choices=ReplyLanguage.choices)
    body = models.TextField(_("text"), validators=[MaxLengthValidator(BODY_MAX)])
    # Empty: any kind of case / any step.
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, blank=True, default="")
    step = models.CharField(_("step"), max_length=32, blank=True, default="",
                            help_text=_("A workflow step (e.g. calm); empty: any step."))
    usage_count = models.PositiveIntegerField(_("times used"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("quick reply")
        verbose_name_plural = _("quick replies")
        ordering = ["kind", "step", "language", "shortcut", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "language", "shortcut"],
                                    condition=models.Q(archived=False),
                                    name="canned_reply_unique_shortcut"),
        ]
        indexes = [
            # The reply box's list: WHERE shop_id = … AND NOT archived AND kind IN (…, '')
            # [AND language = …].
            models.Index(fields=["shop", "kind", "language"], condition=models.Q(archived=False),
                         name="canned_reply_live"),
        ]

    def __str__(self) -> str:
        return f"/{self.shortcut} {self.title}"


class CannedReplyUse(models.Model):
    """One use of a quick reply: who filled it into which case's reply box, when (the scorecard's
    quick-reply use per agent; `CannedReply.usage_count` stays the reply's running total)."""

    reply = models.ForeignKey(CannedReply, on_delete=models.CASCADE, related_name="uses",
                              verbose_name=_("quick reply"))
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("case"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("use of a quick reply")
        verbose_name_plural = _("uses of quick replies")
        indexes = [
            # The scorecard: an agent's uses in a range (WHERE by_id IN (…) AND at >= … AND at < …).
            models.Index(fields=["by", "at"], name="canned_reply_use_by_at"),
        ]

    def __str__(self) -> str:
        return f"/{self.reply_id} {self.at:%Y-%m-%d %H:%M}"
