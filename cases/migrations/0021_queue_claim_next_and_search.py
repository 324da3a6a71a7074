"""Claim next reads the unassigned open cases through a partial index; the queue's search reads
parts of handles and names through trigram indexes and the start of order numbers and marketplace
ids through prefix indexes (selectors.search_condition).

The trigram and prefix indexes exist only on PostgreSQL (pg_trgm; SQLite searches with LIKE). They
are built CONCURRENTLY, so a large table keeps taking writes meanwhile (hence atomic = False).
"""

from django.db import migrations, models

# Each expression is the one Django's lookup writes on PostgreSQL: `icontains` is
# UPPER(col::text) LIKE UPPER('%…%'), `istartswith` UPPER(col::text) LIKE UPPER('…%').
SEARCH_INDEXES = {
    "customer_handle_trgm": "cases_customer USING gin (UPPER(handle) gin_trgm_ops)",
    "case_buyer_name_trgm": "cases_case USING gin (UPPER(buyer_name) gin_trgm_ops)",
    "order_number_prefix": "cases_order (UPPER(number) text_pattern_ops)",
    "case_external_id_prefix": "cases_case (UPPER(external_id) text_pattern_ops)",
}


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in SEARCH_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


def drop_search_indexes(apps, schema_editor):
    """The indexes go; the pg_trgm extension stays (other databases' objects may use it)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0020_contact_outreach_phrase_hits_sent_through"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("assignee__isnull", True),
                                   models.Q(("state", "closed"), _negated=True)),
                fields=["shop", "next_due_at"], name="case_unassigned_open"),
        ),
        migrations.RunPython(create_search_indexes, drop_search_indexes, elidable=False),
    ]
