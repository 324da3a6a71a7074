"""Granting model permissions to the roles from data migrations (historical models via `apps`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions


def grant_to_group(apps: Any, group_name: str, perms: dict[str, list[str]]) -> None:
    """Give the group these permissions ({app_label: [codename, …]}), creating them first.

    Django creates permissions after all migrations ran; a data migration that grants them must
    create them itself.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=group_name)
    permission = apps.get_model("auth", "Permission")
    for app_label, codenames in perms.items():
        group.permissions.add(*permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames))
