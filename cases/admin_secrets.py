"""The shop's webhook secrets in the admin: write-only after saving, a generated one shown once.

Nobody reads a secret back from the admin (a supervisor who could would be able to forge the
marketplace's `platform.decided`): the page says whether one is set; an admin keeps it, generates a
new one (shown once, on the page after saving), types the one the marketplace gave, or removes it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.models import Shop
from cases.services import replace_shop_secret
from cases.services.shop_secrets import SECRET_FIELDS

KEEP, GENERATE, REMOVE = "keep", "generate", "remove"
CHANGES = [(KEEP, _("Keep the current one")), (GENERATE, _("Generate a new one (shown once)")),
           (REMOVE, _("Remove it"))]


def _change_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Change"), choices=CHANGES, initial=KEEP, required=False,
                             widget=forms.RadioSelect)


def _new_field() -> forms.CharField:
    return forms.CharField(
        label=_("Or type the new one"), required=False, max_length=200, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Write-only: it is never shown again after saving."))


class ShopForm(forms.ModelForm):
    webhook_secret_change = _change_field()
    webhook_secret_new = _new_field()
    outgoing_webhook_secret_change = _change_field()
    outgoing_webhook_secret_new = _new_field()

    class Meta:
        model = Shop
        fields = ["code", "name", "time_zone", "platform", "reopen_window_days", "members",
                  "outgoing_webhook_url", "max_outbound_attempts", "attempt_window_days",
                  "quiet_hours_start", "quiet_hours_end"]  # the secrets are the inputs above

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for field in SECRET_FIELDS:
            if data.get(f"{field}_new") and data.get(f"{field}_change") not in ("", KEEP):
                self.add_error(f"{field}_new", _("Either type a new secret or choose to generate "
                                                 "or remove one, not both."))
        return data

    def secret_changes(self) -> dict[str, str | None]:
        """{field: the typed secret, None to generate one, "" to remove it}; kept ones left out."""
        changes: dict[str, str | None] = {}
        for field in SECRET_FIELDS:
            typed, change = self.cleaned_data.get(f"{field}_new"), self.cleaned_data.get(f"{field}_change")
            if typed:
                changes[field] = typed
            elif change == GENERATE:
                changes[field] = None
            elif change == REMOVE:
                changes[field] = ""
        return changes


def _state(shop: Shop | None, field: str) -> str:
    if shop is not None and getattr(shop, field):
        return str(_("Set (hidden; generate or type a new one to replace it)"))
    return str(_("Not set"))


class WriteOnlySecretsAdmin(admin.ModelAdmin):
    """For the shop's admin: each secret named in its fieldsets becomes its state (set or not) and,
    for those who may change the shop, the write-only inputs."""

    form = ShopForm

    @admin.display(description=_("webhook secret"))
    def webhook_secret_state(self, shop: Shop | None) -> str:
        return _state(shop, "webhook_secret")

    @admin.display(description=_("secret for the changes sent"))
    def outgoing_webhook_secret_state(self, shop: Shop | None) -> str:
        return _state(shop, "outgoing_webhook_secret")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[tuple[Any, dict]]:
        editable = (self.has_change_permission(request, obj) if obj is not None
                    else self.has_add_permission(request))
        return [(title, {**options, "fields": [
            name for field in options["fields"]
            for name in (self._secret_names(field, editable) if field in SECRET_FIELDS else [field])
        ]}) for title, options in super().get_fieldsets(request, obj)]

    @staticmethod
    def _secret_names(field: str, editable: bool) -> list[str]:
        return [f"{field}_state", f"{field}_change", f"{field}_new"] if editable else [f"{field}_state"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), *(f"{f}_state" for f in SECRET_FIELDS)]

    def save_model(self, request: HttpRequest, obj: Shop, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        for field, value in form.secret_changes().items():
            secret = replace_shop_secret(shop=obj, field=field, value=value)
            if value is None:
                self.message_user(request, _("The new %(secret)s of %(shop)s is: %(value)s — copy it "
                                             "now, it is not shown again.")
                                  % {"secret": Shop._meta.get_field(field).verbose_name,
                                     "shop": obj.code, "value": secret}, level=messages.WARNING)
