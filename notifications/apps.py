from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Deadline reminders and follow-up calls: they arrive with the reminders issue."""

    name = "notifications"
    verbose_name = _("Notifications")
