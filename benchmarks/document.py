"""Writing benchmark figures to docs/BENCHMARKS.md, one section per benchmark, with the machine."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from benchmarks.wrk import cpu_model

DOC = Path(settings.BASE_DIR) / "docs" / "BENCHMARKS.md"
HEADER = """# Benchmarks

Each section says the machine it was measured on (cores, memory, database version). Reproduce on a
database of its own, so that the tests' databases are left alone:

    createdb -h 127.0.0.1 -U postgres disputedesk_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/disputedesk_bench make bench

Without `DATABASE_URL`, `make bench` uses the SQLite file under var/ with smaller sizes
(`make bench BENCH_TOTAL=… BENCH_DUE=…` to change them); SQLite figures go to sections of their own.
"""


def machine() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql"
                       else "SELECT 'SQLite ' || sqlite_version()")
        database = cursor.fetchone()[0].split(" on ")[0]
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    return (f"Measured {timezone.now():%Y-%m-%d} on {os.cpu_count()} cores ({cpu_model()}), "
            f"{int(memory) / 1024 / 1024:.0f} GiB, {database}, Python {platform.python_version()}.")


def write_section(title: str, lines: list[str], *, per_database: bool = True) -> None:
    """Put (or replace) the section `title` in the doc; SQLite figures get a section of their own,
    so they never replace PostgreSQL's (unless the figures do not depend on the database)."""
    heading = (title if connection.vendor == "postgresql" or not per_database
               else f"{title} (SQLite)")
    section = "\n".join([heading, "", machine(), *lines, ""])
    text = DOC.read_text() if DOC.exists() else HEADER
    start = text.find(f"\n{heading}\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start + 1] + section + (text[end:] if end >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text.rstrip() + "\n")
