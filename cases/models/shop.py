from datetime import time
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.pii import PersonalDataField


class Platform(models.TextChoices):
    TAOBAO = "taobao", _("Taobao / Tmall")
    EBAY = "ebay", _("eBay")
    AMAZON = "amazon", _("Amazon")


class Shop(models.Model):
    """An online shop on a marketplace; its staff work its cases."""

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9_-]*$", _("Use a-z, 0-9, - and _."))],
    )
    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    reopen_window_days = models.PositiveIntegerField(
        _("reopen window (days)"), default=15, validators=[MinValueValidator(1)]
    )
    # Follow-up without harassment (seed 003 §6.1.3): limits on reaching out to a buyer.
    max_outbound_attempts = models.PositiveSmallIntegerField(
        _("outbound attempts allowed per buyer"), default=3, validators=[MinValueValidator(1)]
    )
    attempt_window_days = models.PositiveSmallIntegerField(
        _("over how many days (attempts)"), default=7, validators=[MinValueValidator(1)]
    )
    quiet_hours_start = models.TimeField(_("quiet hours start"), default=time(22, 0))
    quiet_hours_end = models.TimeField(_("quiet hours end"), default=time(8, 0))
    # Which marketplace's rule set runs the marketplace clock (empty: none, only the shop's clock).
    platform = models.CharField(_("marketplace"), max_length=16, blank=True, default="",
                                choices=Platform.choices)
    # Marketplace webhooks are signed with this (HMAC-SHA256); empty: the shop takes none.
    webhook_secret = models.CharField(_("webhook secret"), max_length=200, blank=True, default="")
    # Optional: case state changes are POSTed here, signed like the marketplace's webhooks.
    outgoing_webhook_url = models.URLField(_("send case changes to (URL)"), blank=True, default="")
    outgoing_webhook_secret = models.CharField(_("secret for the changes sent"), max_length=200,
                                               blank=True, default="")
    # When a refund needs a supervisor's approval (cases/approval.py); empty: never for that rule.
    refund_approval_above = models.DecimalField(
        _("refunds above this amount need approval"), max_digits=12, decimal_places=2, null=True,
        blank=True, validators=[MinValueValidator(Decimal(0))],
        help_text=_("Empty: no limit by amount."))
    refund_approval_share = models.DecimalField(
        _("refunds above this share of the paid amount need approval"), max_digits=4,
        decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("From 0 to 1, e.g. 0.5 for half of what was paid. Empty: no limit by share."))
    refund_approval_after_refunds = models.PositiveSmallIntegerField(
        _("refunds need approval once the buyer had this many in 90 days"), null=True, blank=True,
        help_text=_("Empty: no limit by the buyer's earlier refunds."))
    # The satisfaction survey after a resolution (cases/surveys.py): a reopened case, resolved
    # again, is asked again only this many days after its last survey.
    survey_again_after_days = models.PositiveSmallIntegerField(
        _("ask a reopened case again after (days)"), default=30)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="shops", blank=True, verbose_name=_("staff")
    )

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refund_approval_above__isnull=True)
                | models.Q(refund_approval_above__gte=0),
                name="shop_refund_approval_above_not_negative"),
            models.CheckConstraint(
                condition=models.Q(refund_approval_share__isnull=True)
                | models.Q(refund_approval_share__gte=0, refund_approval_share__lte=1),
                name="shop_refund_approval_share_0_to_1"),
        ]

    def __str__(self) -> str:
        return self.code


class Temperament(models.TextChoices):
    """Buyer profiles by temperament (seed 001 §11), each with how to serve them."""

    FRIENDLY = "friendly", _("Friendly")
    DOMINANT = "dominant", _("Dominant")
    ANALYTICAL = "analytical", _("Analytical")
    SELF_CENTRED = "self_centred", _("Self-centred")


class ProductKnowledge(models.TextChoices):
    NOVICE = "novice", _("Novice")
    HALF_INFORMED = "half_informed", _("Half-informed")
    EXPERT = "expert", _("Expert")


TEMPERAMENT_HINTS = {
    Temperament.FRIENDLY: _("Serve them well and don't relax."),
    Temperament.DOMINANT: _("Be careful; make them feel respected."),
    Temperament.ANALYTICAL: _("Be sincere; explain with reasons."),
    Temperament.SELF_CENTRED: _("Control your emotions; apologise sincerely for your own faults."),
}
KNOWLEDGE_HINTS = {
    ProductKnowledge.NOVICE: _("Explain in detail."),
    ProductKnowledge.HALF_INFORMED: _("Explain what they are missing."),
    ProductKnowledge.EXPERT: _("Be brief and precise."),
}


class Customer(models.Model):
    """A buyer, known to a shop by their marketplace handle."""

    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="customers", verbose_name=_("shop")
    )
    handle = models.CharField(_("handle"), max_length=120)
    # The details on record, changed only by an explicit, logged update (services/buyer_details.py);
    # each case carries its own copy, the one that arrived with it (Case.buyer_phone, …).
    name = PersonalDataField(_("name"), max_length=120, blank=True)
    phone = PersonalDataField(_("phone"), max_length=32, blank=True)
    address = PersonalDataField(_("address"), max_length=300, blank=True, default="")
    do_not_contact = models.BooleanField(_("asked not to be contacted"), default=False)
    # Hints for the agent (docs/domain.md, buyer profiles); empty when nobody has judged yet.
    temperament = models.CharField(_("temperament"), max_length=16, blank=True, default="",
                                   choices=Temperament.choices)
    product_knowledge = models.CharField(_("knowledge of the product"), max_length=16, blank=True,
                                         default="", choices=ProductKnowledge.choices)
    # The buyer's own quiet hours, in the shop's time zone; empty: the shop's.
    quiet_hours_start = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet hours end"), null=True, blank=True)

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        constraints = [
            models.UniqueConstraint(fields=["shop", "handle"], name="customer_unique_handle_per_shop")
        ]

    def __str__(self) -> str:
        # The handle is the marketplace's public nickname; name and phone are PII and stay out.
        return self.handle

    def hints(self) -> list[str]:
        """How to serve this buyer, from their profile (none when no profile is set)."""
        found = []
        if self.temperament:
            found.append(f"{self.get_temperament_display()}: {TEMPERAMENT_HINTS[self.temperament]}")
        if self.product_knowledge:
            found.append(f"{self.get_product_knowledge_display()}: "
                         f"{KNOWLEDGE_HINTS[self.product_knowledge]}")
        return found


class Order(models.Model):
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="orders", verbose_name=_("shop")
    )
    number = models.CharField(_("order number"), max_length=64)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="orders", null=True, blank=True,
        verbose_name=_("buyer"),
    )
    paid_amount = models.DecimalField(_("paid amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    # What the marketplace tells about the order, when it does (shown to the agent on the case).
    placed_at = models.DateTimeField(_("ordered at"), null=True, blank=True)
    items = models.JSONField(_("items"), default=list, blank=True,
                             help_text=_("What was ordered, one line per item."))
    carrier = models.CharField(_("carrier"), max_length=60, blank=True, default="")
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True, default="")

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.UniqueConstraint(fields=["shop", "number"], name="order_unique_number_per_shop"),
            models.CheckConstraint(
                condition=models.Q(paid_amount__gte=0), name="order_paid_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.number
