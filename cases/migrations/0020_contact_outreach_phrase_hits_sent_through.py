"""Contacts say whether the shop reached out (what the contact limit counts), the phrase warnings
of an outbound message, and the outgoing event that carries a sent message to the shop's connector.

Every outbound contact logged before this was counted by the limit: it stays outreach. The phrase
warnings that were kept only on the timeline are copied onto their contacts.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def outbound_contacts_were_outreach(apps, schema_editor):
    # Checked now, not at commit: PostgreSQL refuses the new foreign key's index (made at the end
    # of this migration) on a table with foreign key checks still pending.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Contact = apps.get_model("cases", "Contact")
    TimelineEvent = apps.get_model("cases", "TimelineEvent")
    Contact.objects.filter(direction="outbound").update(outreach=True)
    events = (TimelineEvent.objects.filter(type="contact_logged", data__has_key="phrase_hits")
              .values_list("data", flat=True))
    for data in events.iterator(chunk_size=1000):
        if isinstance(data, dict) and data.get("contact_id") and data.get("phrase_hits"):
            Contact.objects.filter(pk=data["contact_id"]).update(phrase_hits=data["phrase_hits"])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0019_canned_replies'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='contact',
            name='contact_customer_at',
        ),
        migrations.AddField(
            model_name='contact',
            name='outreach',
            field=models.BooleanField(default=False, verbose_name='outreach'),
        ),
        migrations.AddField(
            model_name='contact',
            name='phrase_hits',
            field=models.JSONField(blank=True, default=list, verbose_name='phrase warnings'),
        ),
        migrations.AddField(
            model_name='contact',
            name='sent_through',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.outgoingwebhook', verbose_name='sent through'),
        ),
        migrations.AddIndex(
            model_name='contact',
            index=models.Index(fields=['customer', 'outreach', 'at'], name='contact_customer_outreach_at'),
        ),
        migrations.RunPython(outbound_contacts_were_outreach, migrations.RunPython.noop),
    ]
