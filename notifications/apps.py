from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Deadline reminders, follow-up calls and the notifications they send (in-app, email)."""

    name = "notifications"
    verbose_name = _("Notifications")
