"""Reminders and notifications in the admin: read-only (they change only through the sweep), with
a "deliver again" action for failed reminders."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin_readonly import ReadOnlyAdmin
from notifications.models import DeliveryAttempt, Notification, Reminder, ReminderState
from notifications.subjects import subject


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["due_at", "kind", "deadline", "case", "state", "attempts", "outcome",
                    "last_error"]
    list_filter = ["state", "kind", "deadline"]
    list_select_related = ["case"]
    date_hierarchy = "due_at"
    actions = ["deliver_again"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return subject().visible_reminders(request.user, super().get_queryset(request))

    def has_deliver_again_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    @admin.action(description=_("Deliver the failed reminders again"),
                  permissions=["deliver_again"])
    def deliver_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.filter(state=ReminderState.FAILED).update(
            state=ReminderState.PENDING, due_at=timezone.now(), attempts=0)
        self.message_user(request, ngettext("%(count)d reminder will be delivered again.",
                                            "%(count)d reminders will be delivered again.",
                                            count) % {"count": count}, messages.SUCCESS)


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["channel", "outcome", "error", "at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "case", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient", "case"]
    inlines = [AttemptInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(recipient=request.user)
