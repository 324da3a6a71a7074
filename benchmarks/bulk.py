"""Bulk rows without the ORM's per-object cost: COPY on PostgreSQL, executemany on SQLite.

Seeding a million cases means about twelve million rows; the ORM's bulk_create spends most of its
time preparing each value, so the benchmark's seeding writes plain tuples with ids it allots itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.db.models import Max


class Table:
    """One model's table: its columns in order, and each column's default."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.name = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.defaults = {f.column: None if f.null or f.primary_key else f.get_default()
                         for f in self.fields}
        self.adapt = _adapter(connection.vendor)

    def next_id(self) -> int:
        return (self.model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def row(self, **values: Any) -> tuple:
        adapt, defaults = self.adapt, self.defaults
        return tuple(adapt(values[c] if c in values else defaults[c]) for c in self.columns)

    def insert(self, rows: Iterable[tuple]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {self.name} ({', '.join(self.columns)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {self.name} ({', '.join(self.columns)}) VALUES ({marks})",
                    list(rows))

    def reset_sequence(self) -> None:
        """After inserting explicit ids, PostgreSQL's sequence must start above them."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{self.name}', 'id'), "
                           f"(SELECT COALESCE(MAX(id), 1) FROM {self.name}))")


def _adapter(vendor: str) -> Callable[[Any], Any]:
    """What each value becomes for the database (looked up once per table, not per value)."""
    datetimes = connection.ops.adapt_datetimefield_value if vendor != "postgresql" else None

    def adapt(value: Any) -> Any:
        if isinstance(value, dict | list):
            return json.dumps(value)
        if datetimes is not None and isinstance(value, datetime):
            return datetimes(value)
        return value
    return adapt
