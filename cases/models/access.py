"""Who reaches the API without a session: API tokens of integrations, and the PII reveal log."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX_LENGTH = 8


def token_digest(raw: str) -> str:
    """Tokens are stored as their SHA-256: random 256-bit secrets need no slow hash."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A secret an integration sends as `Authorization: Bearer <token>`, valid in one shop.

    The raw token is shown once, when it is created; only its digest and first characters stay.
    Requests made with it act as `user`, limited to `shop` whatever else that user may see.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("What uses it, e.g. ERP sync."))
    shop = models.ForeignKey("cases.Shop", on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("shop"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name=_("acts as"))
    prefix = models.CharField(_("starts with"), max_length=TOKEN_PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", editable=False,
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["shop", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)

    def set_secret(self, raw: str) -> None:
        self.prefix = raw[:TOKEN_PREFIX_LENGTH]
        self.digest = token_digest(raw)


class PiiField(models.TextChoices):
    PHONE = "phone", _("phone")
    ADDRESS = "address", _("address")


class PiiReveal(models.Model):
    """Someone looked at a buyer's unmasked phone or address: who, when, on which case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="pii_reveals",
                             verbose_name=_("case"))
    customer = models.ForeignKey("cases.Customer", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("buyer"))
    field = models.CharField(_("what"), max_length=16, choices=PiiField.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("PII reveal")
        verbose_name_plural = _("PII reveals")
        ordering = ["-at", "-id"]
        # The log of one buyer's data, newest first (the admin's list for an inquiry).
        indexes = [models.Index(fields=["customer", "-at"], name="pii_reveal_customer_at")]

    def __str__(self) -> str:
        return f"{self.get_field_display()} {self.at:%Y-%m-%d %H:%M}"
