"""The phrases service language never uses (seed 001, DOMAIN.md) and what to say instead."""

from django.db import migrations

DEFAULTS = [
    ("我不能", "看看我们能够帮你做什么"),
    ("我不会做", "我们能为你做的是……"),
    ("这不是我应该做的", "我很愿意为你做"),
    ("我想我做不了", "说出你能做的，并表示很乐意帮忙"),
    ("不行", "委婉地拒绝，并说明原因（因为……）"),
    ("不可以", "委婉地拒绝，并说明原因（因为……）"),
    ("不对", "委婉地指出，并说明原因（因为……）"),
    ("但是", "称赞之后不要接“但是”"),
    ("I can't", "Let's see what we can do for you"),
    ("I cannot", "Let's see what we can do for you"),
    ("I won't", "What we can do for you is…"),
    ("not my job", "I'm glad to do it for you"),
    ("I don't think I can", "Say what you can do, and that you are glad to help"),
    ("no way", "A polite refusal with its reason (because…)"),
    ("but", "Anything but “but” after praise"),
]


def add_defaults(apps, schema_editor):
    PhraseRule = apps.get_model("cases", "PhraseRule")
    for phrase, suggestion in DEFAULTS:
        PhraseRule.objects.get_or_create(shop=None, phrase=phrase, defaults={"suggestion": suggestion})


def remove_defaults(apps, schema_editor):
    apps.get_model("cases", "PhraseRule").objects.filter(
        shop=None, phrase__in=[p for p, _ in DEFAULTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_review_states_contact_policy_phrases")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
