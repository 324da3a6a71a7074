"""One escalation sweep in this process: no worker or broker needed (the same function as the beat)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.services import escalate_breached_cases


class Command(BaseCommand):
    help = ("Escalate, as the system, the cases whose first-response, marketplace or resolution "
            "deadline passed.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=None,
                            help="cases read at a time (default ESCALATION_BATCH_SIZE)")

    def handle(self, *args: Any, **options: Any) -> None:
        report = escalate_breached_cases(batch_size=options["batch_size"])
        self.stdout.write(f"{len(report.escalated)} of {report.checked} cases past a deadline escalated.")
