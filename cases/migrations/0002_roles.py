"""The two roles: agents work their cases, supervisors every case of their shops (admin included)."""

from django.db import migrations

from cases.role_permissions import grant_to_group

SUPERVISOR_ADMIN_PERMS = [
    "view_shop", "view_customer", "view_order", "view_case", "change_case", "view_dispute",
    "change_dispute", "view_timelineevent", "view_contact", "view_evidence",
]


def create_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="agent")
    grant_to_group(apps, "supervisor", {"cases": SUPERVISOR_ADMIN_PERMS})


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["agent", "supervisor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
