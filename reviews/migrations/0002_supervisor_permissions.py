"""Supervisors see their shops' reviews and keep their shops' phrase list in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMS = {
    "reviews": ["view_review", "view_reviewcase", "change_reviewcase"],
    "cases": ["view_phraserule", "add_phraserule", "change_phraserule", "delete_phraserule"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    supervisor, _ = Group.objects.get_or_create(name="supervisor")
    for app_label, codenames in PERMS.items():
        supervisor.permissions.add(*Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial"), ("cases", "0005_rename_remedy")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
