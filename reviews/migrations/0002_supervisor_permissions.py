"""Supervisors see their shops' reviews and keep their shops' phrase list in the admin."""

from django.db import migrations

from cases.role_permissions import grant_to_group

PERMS = {
    "reviews": ["view_review", "view_reviewcase", "change_reviewcase"],
    "cases": ["view_phraserule", "add_phraserule", "change_phraserule", "delete_phraserule"],
}


def grant(apps, schema_editor):
    grant_to_group(apps, "supervisor", PERMS)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial"), ("cases", "0005_rename_remedy")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
