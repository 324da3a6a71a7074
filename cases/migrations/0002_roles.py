"""The two roles: agents work their cases, supervisors every case of their shops (admin included)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SUPERVISOR_ADMIN_PERMS = [
    "view_shop", "view_customer", "view_order", "view_case", "change_case", "view_dispute",
    "change_dispute", "view_timelineevent", "view_contact", "view_evidence",
]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get_or_create(name="agent")
    supervisor, _ = Group.objects.get_or_create(name="supervisor")
    supervisor.permissions.set(
        Permission.objects.filter(content_type__app_label="cases", codename__in=SUPERVISOR_ADMIN_PERMS)
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["agent", "supervisor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
