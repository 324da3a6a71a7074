"""Admin pages for access to buyers' data and to the API: API tokens and the PII reveal log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.models import ApiToken, DeliveryState, OutgoingAttempt, OutgoingWebhook, PiiReveal
from cases.services import create_api_token, revoke_api_token
from cases.services.tokens import token_problems
from config.admin_readonly import ReadOnlyAdmin


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "shop", "user"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance.pk is None and data.get("shop") and data.get("user"):
            for field, problems in token_problems(shop=data["shop"], user=data["user"]).items():
                self.add_error(field, problems)
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins create tokens (the secret is shown once, on the page after saving) and revoke them."""

    form = ApiTokenForm
    list_display = ["name", "shop", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["shop", "revoked_at"]
    list_select_related = ["shop", "user"]
    actions = ["revoke"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    has_add_permission = has_view_permission

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a token is never edited: revoke it and create another

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked tokens stay, for the record

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        token, raw = create_api_token(shop=obj.shop, user=obj.user, name=obj.name, by=request.user)
        obj.pk, obj.prefix, obj.digest = token.pk, token.prefix, token.digest
        self.message_user(request, _("The token for %(name)s is: %(raw)s — copy it now, it is not "
                                     "shown again. Send it as Authorization: Bearer <token>.")
                          % {"name": token.name, "raw": raw}, level=messages.WARNING)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = sum(revoke_api_token(token_id=pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(count)d token(s) revoked.") % {"count": revoked})


@admin.register(PiiReveal)
class PiiRevealAdmin(ReadOnlyAdmin):
    """Who saw which buyer's phone or address, and when (for a buyer's data inquiry)."""

    list_display = ["at", "field", "by", "case", "customer"]
    list_filter = ["field"]
    list_select_related = ["by", "case", "customer"]
    search_fields = ["customer__handle", "by__username"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


class OutgoingAttemptInline(admin.TabularInline):
    """Every POST of the webhook, with how it went."""

    model = OutgoingAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "outcome", "error"]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutgoingWebhook)
class OutgoingWebhookAdmin(ReadOnlyAdmin):
    """Case changes sent to shops' own systems: what was sent, how it went, and a retry button."""

    list_display = ["created_at", "shop", "type", "case", "state", "attempts", "next_attempt_at",
                    "last_error"]
    list_filter = ["state", "shop"]
    list_select_related = ["shop", "case"]
    inlines = [OutgoingAttemptInline]
    actions = ["send_again"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        return rows if request.user.is_superuser else rows.filter(shop__members=request.user)

    @admin.action(description=_("Send the selected failed ones again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutgoingWebhook]) -> None:
        from django.utils import timezone

        count = queryset.filter(state=DeliveryState.FAILED).update(
            state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now(),
            claimed_at=None, claim_token="")
        self.message_user(request, _("%(count)d will be sent with the next sweep.")
                          % {"count": count})
