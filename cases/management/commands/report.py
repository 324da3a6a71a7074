"""manage.py report resolution-time --group-by kind --since 2026-11-01 --format table|csv|json"""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.errors import InvalidInput
from cases.reports.api import COLUMNS
from cases.reports.durations import GROUPS, METRICS
from cases.reports.queries import duration_report


class Command(BaseCommand):
    help = "Resolution, closing or first-response time per kind, agent, shop or week, for the shell."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("metric", choices=list(METRICS))
        parser.add_argument("--group-by", choices=list(GROUPS), default="kind")
        parser.add_argument("--since", help="YYYY-MM-DD, inclusive")
        parser.add_argument("--until", help="YYYY-MM-DD, exclusive")
        parser.add_argument("--shop", help="shop code")
        parser.add_argument("--kind")
        parser.add_argument("--agent", help="username")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        params = {k: options[k] for k in ("since", "until", "shop", "kind", "agent")
                  if options[k]}
        params["group_by"] = options["group_by"]
        try:
            report = duration_report(metric=options["metric"], by=None, params=params)
        except InvalidInput as error:
            problems = "; ".join(f"--{field.replace('_', '-')}: {' '.join(map(str, msgs))}"
                                 for field, msgs in error.errors.items())
            raise CommandError(problems) from None
        rows = [row.as_dict() for row in report.rows]
        if options["format"] == "json":
            self.stdout.write(json.dumps({"metric": report.metric, "group_by": report.group_by,
                                          "results": rows}, ensure_ascii=False, indent=2))
        elif options["format"] == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        else:
            self.stdout.write(table(rows))


def table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No cases in this range."
    cells = [COLUMNS] + [["" if r[c] is None else str(r[c]) for c in COLUMNS] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True))
             for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
