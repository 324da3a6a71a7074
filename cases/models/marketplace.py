"""The marketplace's clock: rule sets per platform, kept as data (admin-editable, seeded by a migration).

A rule says how long the seller has after an event before the platform acts without them, e.g.
Taobao grants an unanswered refund request after 24 hours. The sources are listed in docs/deadlines.md.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models.case import Kind
from cases.models.shop import Platform


class Trigger(models.TextChoices):
    # The platform's clock runs from the buyer's request until the seller answers.
    OPENED = "opened", _("Case opened (until the seller answers)")
    # After the platform decided: the window in which the seller can appeal.
    PLATFORM_DECIDED = "platform_decided", _("Platform decided (appeal window)")


class Unit(models.TextChoices):
    HOURS = "hours", _("hours")
    DAYS = "days", _("calendar days")
    BUSINESS_DAYS = "business_days", _("business days (no weekends or shop holidays)")


# What people call each rule the marketplaces are seeded with (migration 0009), by its code: the
# code is the rule's key for the API and the admin, never shown to agents. A rule an admin adds
# with a code of its own is called by what every marketplace rule is: the marketplace's deadline.
RULE_NAMES = {
    "refund-unanswered": _("refund request left unanswered"),
    "not-received-unanswered": _("refund of an order not received, left unanswered"),
    "not-as-described-unanswered": _("return request left unanswered"),
    "review-revision-window": _("time the buyer may revise the review"),
    "appeal": _("appeal window"),
    "respond-before-step-in": _("answer before the marketplace steps in"),
    "a-to-z-claim-possible": _("answer before the buyer may claim under the A-to-z Guarantee"),
    "a-to-z-granted": _("answer before the A-to-z claim is granted without the seller"),
}


def rule_name(code: str) -> str:
    """The marketplace rule's name in the active language (never its code)."""
    return str(RULE_NAMES.get(code) or _("the marketplace's deadline"))


class MarketplaceRule(models.Model):
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, blank=True, default="",
                            help_text=_("Empty: every kind of case."))
    trigger = models.CharField(_("runs from"), max_length=20, choices=Trigger.choices)
    amount = models.PositiveIntegerField(pgettext_lazy("length of a period", "amount"),
                                         validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    consequence = models.CharField(_("what the platform does then"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True, default="")
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("marketplace rule")
        verbose_name_plural = _("marketplace rules")
        ordering = ["platform", "trigger", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "code"], name="marketplace_rule_code"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {rule_name(self.code)}"

    @property
    def name(self) -> str:
        return rule_name(self.code)


class ShopHoliday(models.Model):
    """A day the shop does not count as a business day (the marketplace's business-day rules)."""

    shop = models.ForeignKey("cases.Shop", on_delete=models.CASCADE, related_name="holidays",
                             verbose_name=_("shop"))
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("shop holiday")
        verbose_name_plural = _("shop holidays")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["shop", "date"], name="holiday_once_per_day")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()
