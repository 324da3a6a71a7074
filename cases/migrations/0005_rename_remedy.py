from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_default_phrases")]
    operations = [migrations.RenameField("case", "remedy", "chosen_remedy")]
