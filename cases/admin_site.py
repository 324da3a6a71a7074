"""The admin site: every ModelAdmin registered on it, ours or a library's, refuses to filter, search or
sort its list by a buyer's personal data (cases.pii.PersonalDataField).

Excluding a field from the form does not stop `?phone__startswith=139` from narrowing a list: a
phone could be read digit by digit without a logged reveal. Django allows lookups on a model's own
fields by default; this site puts a guard in front of every admin class when it is registered.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

from cases.pii import personal_data_in


class RefusesPersonalDataLookups:
    """A lookup through a personal-data field is not allowed (the list answers 400)."""

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if personal_data_in(self.model, lookup):  # type: ignore[attr-defined]
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]


class DisputeDeskAdminSite(admin.AdminSite):
    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, RefusesPersonalDataLookups):
            admin_class = type(admin_class.__name__, (RefusesPersonalDataLookups, admin_class),
                               {"__module__": admin_class.__module__})
        super().register(model_or_iterable, admin_class, **options)


class DisputeDeskAdminConfig(AdminConfig):
    default_site = "cases.admin_site.DisputeDeskAdminSite"
