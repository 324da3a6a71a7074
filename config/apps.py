"""Apps of libraries, named in the reader's language on the admin's pages."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LogInLimitsConfig(AxesAppConfig):
    """django-axes (log-in limits) under a name people read, in both languages: its own is the
    untranslated "Axes"."""

    verbose_name = _("Log-in limits")
