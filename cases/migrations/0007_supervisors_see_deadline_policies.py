from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    supervisor, _ = Group.objects.get_or_create(name="supervisor")
    supervisor.permissions.add(*Permission.objects.filter(
        content_type__app_label="cases", codename="view_deadlinepolicy"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_deadline_policy")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
