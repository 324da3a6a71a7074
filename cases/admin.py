"""Django admin for supervisors and admins. Transitions are buttons (django-fsm-2's admin), run
through the same service as the API, so permissions, guards and the timeline apply here too.

django-fsm-2 4.2.4's mixin applies a transition named in a hand-made POST without checking who
sends it; here every transition goes through `run_transition`, which checks
(cases/admin_transitions.py, the one place that overrides the mixin's private methods).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases import admin_filters, selectors, services  # noqa: F401  (admin_filters registers itself)
from cases.admin_secrets import WriteOnlySecretsAdmin
from cases.admin_transitions import TransitionsThroughServices
from cases.models import (
    Case,
    Contact,
    Customer,
    DeadlinePolicy,
    Evidence,
    MarketplaceRule,
    Order,
    PhraseRule,
    Shop,
    ShopHoliday,
    ThreatRule,
    TimelineEvent,
    WebhookEvent,
)
from cases.models.marketplace import rule_name
from cases.workflows import as_workflow
from config.admin_readonly import ReadOnlyAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TimelineInline(ReadOnlyInline):
    model = TimelineEvent
    fields = ["at", "type", "actor", "from_state", "to_state", "data"]
    readonly_fields = fields


class ContactInline(ReadOnlyInline):
    model = Contact
    fields = ["at", "channel", "direction", "outcome", "body", "by"]
    readonly_fields = fields


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["photo", "description", "added_by", "added_at"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(TransitionsThroughServices, admin.ModelAdmin):
    fsm_fields = ["state"]
    list_display = ["id", "kind", "state", "shop", "external_id", "assignee", "opened_at",
                    "next_due_at"]
    list_filter = ["kind", "state", "shop"]
    search_fields = ["external_id", "order__number", "customer__handle"]
    list_select_related = ["shop", "assignee"]
    readonly_fields = [
        "shop", "kind", "state", "external_id", "order", "customer", "claimed_amount", "assignee",
        "opened_at", "next_due_at", "first_response_due_at", "resolution_due_at",
        "marketplace_due_at", "marketplace_rule_name", "clock_paused_at", "follow_up_due_at",
        "platform_decided_at", "appeal_due_at", "first_responded_at",
        "resolved_at", "closed_at", "closed_as", "calmed_at", "core_problem", "tracking_status",
        "chosen_remedy", "remedy_amount",
    ]
    fields = ["description", *readonly_fields]
    readonly_fields = fields  # a case changes only through its transitions (the buttons)
    inlines = [EvidenceInline, ContactInline, TimelineInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return selectors.visible_to(request.user).select_related("shop", "assignee", "order")

    @admin.display(description=_("marketplace rule"))
    def marketplace_rule_name(self, case: Case) -> str:
        return rule_name(case.marketplace_rule) if case.marketplace_rule else "—"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Nothing on the form is editable; saving the stale object would overwrite the row."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # cases are opened by the marketplace (API) or by the shop's staff there

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a case and its timeline are kept

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Case | None:
        case = super().get_object(request, object_id, from_field)
        return as_workflow(case) if case is not None else None

@admin.register(TimelineEvent)
class TimelineEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "case", "type", "actor", "from_state", "to_state"]
    list_filter = ["type"]
    list_select_related = ["case", "actor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(case__in=selectors.visible_to(request.user))


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ["at", "case", "channel", "direction", "outcome", "by"]
    list_filter = ["channel", "direction", "outcome"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(case__in=selectors.visible_to(request.user))


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["case", "photo", "added_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(case__in=selectors.visible_to(request.user))


class OwnShopsOnly(admin.ModelAdmin):
    """Supervisors see the buyers, orders and shops of their own shops only."""

    members_lookup = "shop__members"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(**{self.members_lookup: request.user})


class DeadlinePolicyInline(admin.TabularInline):
    model = DeadlinePolicy
    extra = 0


class ShopHolidayInline(admin.TabularInline):
    """Days that are not business days for the marketplace's business-day rules."""

    model = ShopHoliday
    extra = 0


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    """What the marketplaces sent, as received: for inspecting refused and malformed events."""

    list_display = ["received_at", "shop", "type", "event_id", "status", "detail", "case"]
    list_filter = ["status", "type", "shop"]
    search_fields = ["event_id"]
    list_select_related = ["shop", "case"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        return rows if request.user.is_superuser else rows.filter(shop__members=request.user)


@admin.register(MarketplaceRule)
class MarketplaceRuleAdmin(admin.ModelAdmin):
    """The marketplaces' clocks are data: admins correct them when a platform changes its rules."""

    list_display = ["platform", "rule_name", "code", "kind", "trigger", "amount", "unit", "consequence",
                    "enabled"]
    list_filter = ["platform", "trigger", "enabled"]
    search_fields = ["code", "consequence", "source"]

    @admin.display(description=_("name"))
    def rule_name(self, rule: MarketplaceRule) -> str:
        return rule.name


@admin.register(Shop)
class ShopAdmin(WriteOnlySecretsAdmin, OwnShopsOnly):
    members_lookup = "members"

    list_display = ["code", "name", "time_zone", "reopen_window_days", "max_outbound_attempts",
                    "attempt_window_days", "quiet_hours_start", "quiet_hours_end"]
    filter_horizontal = ["members"]
    inlines = [DeadlinePolicyInline, ShopHolidayInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "time_zone", "platform", "reopen_window_days",
                           "members"]}),
        (_("Marketplace webhooks"), {"fields": ["webhook_secret"]}),
        (_("Case changes sent to the shop's system"), {"fields": [
            "outgoing_webhook_url", "outgoing_webhook_secret"]}),
        (_("Follow-up without harassment"), {"fields": [
            "max_outbound_attempts", "attempt_window_days", "quiet_hours_start", "quiet_hours_end",
        ]}),
        (_("Refunds that need a supervisor's approval"), {"fields": [
            "refund_approval_above", "refund_approval_share", "refund_approval_after_refunds",
        ]}),
        (_("Satisfaction survey"), {"fields": ["survey_again_after_days"]}),
    ]


@admin.register(PhraseRule)
class PhraseRuleAdmin(admin.ModelAdmin):
    """The phrase list is data: supervisors add, replace or switch off rules for their shops."""

    list_display = ["phrase", "suggestion", "shop", "enabled"]
    list_filter = ["shop", "enabled"]
    search_fields = ["phrase", "suggestion"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rules = super().get_queryset(request).select_related("shop")
        if request.user.is_superuser:
            return rules
        return rules.filter(Q(shop__isnull=True) | Q(shop__members=request.user))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.shop_id is None and not request.user.is_superuser:
            return False  # the defaults are shared by every shop: override them per shop instead
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "shop" and not request.user.is_superuser:
            kwargs["queryset"] = Shop.objects.filter(members=request.user)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ThreatRule)
class ThreatRuleAdmin(PhraseRuleAdmin):
    """The threat rules are data too: supervisors add their shop's own, replace a default (the same
    threat and pattern) or switch it off; a pattern that cannot work is refused with the reason."""

    list_display = ["code", "pattern", "shop", "enabled"]
    list_filter = ["code", "shop", "enabled"]
    search_fields = ["pattern"]


@admin.register(Customer)
class CustomerAdmin(OwnShopsOnly):
    list_display = ["handle", "shop", "do_not_contact", "temperament", "product_knowledge"]
    list_filter = ["shop", "do_not_contact", "temperament"]
    search_fields = ["handle"]
    # PII: phone and address are revealed on a case, by its assignee or supervisors (logged); the
    # name is shown, never edited here: the details change only by the explicit, logged update.
    # No list here (or anywhere in this admin) filters, searches or sorts by them (admin_site.py).
    exclude = ["phone", "address"]
    readonly_fields = ["name"]


@admin.register(Order)
class OrderAdmin(OwnShopsOnly):
    list_display = ["number", "shop", "paid_amount", "currency"]
    list_filter = ["shop"]
    search_fields = ["number"]


# The access records (API tokens, reveals, outgoing webhooks) are registered in their own module.
from cases import admin_access  # noqa: E402, F401
