"""The marketplaces' rule sets (data, editable in the admin; sources in the README), and the next
deadline of the cases that existed before it was tracked."""

from django.db import migrations
from django.db.models import F, Q

# (platform, code, kind, trigger, amount, unit, consequence, source)
RULES = [
    ("taobao", "refund-unanswered", "refund", "opened", 24, "hours",
     "The platform grants the refund automatically.",
     "Taobao rules (淘宝规则), refunds: an unshipped order's refund request not handled by the "
     "seller in time is refunded automatically."),
    ("taobao", "not-received-unanswered", "non_delivery", "opened", 36, "hours",
     "The platform grants the refund automatically.",
     "Taobao rules, refunds of shipped orders the buyer did not receive."),
    ("taobao", "not-as-described-unanswered", "not_as_described", "opened", 36, "hours",
     "The platform grants the refund automatically.",
     "Taobao rules, refunds of shipped orders (return requests)."),
    ("taobao", "review-revision-window", "negative_review", "opened", 30, "days",
     "The buyer can no longer revise the review.",
     "Taobao review rules: a middle or negative review can be revised within 30 days of posting."),
    ("taobao", "appeal", "", "platform_decided", 30, "days",
     "The platform's decision can no longer be appealed.",
     "Taobao dispute rules: appeal against a customer-service decision."),
    ("ebay", "respond-before-step-in", "", "opened", 3, "business_days",
     "The buyer can ask eBay to step in and decide.",
     "eBay Money Back Guarantee: the seller has 3 business days to resolve a request."),
    ("ebay", "appeal", "", "platform_decided", 30, "days",
     "eBay's decision can no longer be appealed.",
     "eBay Money Back Guarantee: appeal within 30 days after the case is closed."),
    ("amazon", "a-to-z-claim-possible", "", "opened", 48, "hours",
     "The buyer can file an A-to-z Guarantee claim.",
     "Amazon Seller Central: respond to buyer messages within 48 hours."),
    ("amazon", "a-to-z-granted", "", "opened", 72, "hours",
     "Amazon grants the A-to-z claim without the seller.",
     "Amazon A-to-z Guarantee: the seller has 72 hours to respond to a claim notification."),
    ("amazon", "appeal", "", "platform_decided", 30, "days",
     "Amazon's decision can no longer be appealed.",
     "Amazon A-to-z Guarantee: a seller can appeal a claim decision within 30 days."),
]


def add_rules(apps, schema_editor):
    Rule = apps.get_model("cases", "MarketplaceRule")
    for platform, code, kind, trigger, amount, unit, consequence, source in RULES:
        Rule.objects.get_or_create(platform=platform, code=code, defaults={
            "kind": kind, "trigger": trigger, "amount": amount, "unit": unit,
            "consequence": consequence, "source": source})


def remove_rules(apps, schema_editor):
    apps.get_model("cases", "MarketplaceRule").objects.filter(
        code__in=[r[1] for r in RULES]).delete()


def set_next_deadlines(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    open_cases = Case.objects.exclude(state="closed")
    open_cases.filter(resolved_at__isnull=True).update(next_due_at=F("resolution_due_at"))
    open_cases.filter(first_responded_at__isnull=True).filter(
        Q(next_due_at__isnull=True) | Q(first_response_due_at__lt=F("next_due_at"))
    ).update(next_due_at=F("first_response_due_at"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_marketplace_clock_and_next_deadline")]
    operations = [
        migrations.RunPython(add_rules, remove_rules),
        migrations.RunPython(set_next_deadlines, migrations.RunPython.noop),
    ]
