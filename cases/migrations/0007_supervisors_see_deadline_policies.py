from django.db import migrations

from cases.role_permissions import grant_to_group


def grant(apps, schema_editor):
    grant_to_group(apps, "supervisor", {"cases": ["view_deadlinepolicy"]})


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_deadline_policy")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
