"""manage.py report resolution-time --group-by kind --since 2026-11-01 --format table|csv|json"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.reports.api import csv_text
from cases.reports.durations import GROUPS
from cases.reports.queries import REPORTS, run_report
from config.service_errors import InvalidInput


class Command(BaseCommand):
    help = "A report (durations, backlog, outcomes, reviews) per kind, agent, shop or week."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("metric", choices=REPORTS, metavar="report", help=", ".join(REPORTS))
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
            report = run_report(name=options["metric"], by=None, params=params)
        except InvalidInput as error:
            problems = "; ".join(f"--{field.replace('_', '-')}: {' '.join(map(str, msgs))}"
                                 for field, msgs in error.errors.items())
            raise CommandError(problems) from None
        rows = report["results"]
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        elif options["format"] == "csv":
            self.stdout.write(csv_text(rows), ending="")
        else:
            self.stdout.write(table(rows))


def table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No cases in this range."
    columns = list(rows[0])
    cells = [columns] + [["" if r[c] is None else str(r[c]) for c in columns] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True))
             for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
