"""The counts per state of a shop's cases read from an index alone (case_shop_state); a search of
one or two characters (a two-character Chinese given name) read from an index of each value's
one- and two-character pieces, since a trigram index cannot narrow it (selectors._part_of).

The pieces' function and indexes exist only on PostgreSQL (SQLite searches with LIKE). The indexes
are built CONCURRENTLY, so a large table keeps taking writes meanwhile (hence atomic = False).
"""

from django.db import migrations, models

# IMMUTABLE: the pieces depend on the value alone, so an index may hold them. Not inlined by the
# planner (it has a FROM), so a query's search_grams(handle) matches the index's expression.
SEARCH_GRAMS = """
CREATE OR REPLACE FUNCTION search_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(upper(value), i, n)), '{}')
    FROM generate_series(1, char_length(value)) AS i, generate_series(1, 2) AS n
    WHERE i + n - 1 <= char_length(value)
$$
"""
GRAM_INDEXES = {
    "customer_handle_grams": "cases_customer USING gin (search_grams(handle))",
    "case_buyer_name_grams": "cases_case USING gin (search_grams(buyer_name))",
}


def create_gram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(SEARCH_GRAMS)
    for name, definition in GRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


def drop_gram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in GRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS search_grams(text)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0026_scorecard_uses_and_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["shop", "state", "id"], name="case_shop_state"),
        ),
        migrations.RunPython(create_gram_indexes, drop_gram_indexes, elidable=False),
    ]
