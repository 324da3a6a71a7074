"""One sweep of the outgoing webhooks, in this process: no worker or broker needed (the beat's
function)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases import outgoing


class Command(BaseCommand):
    help = "Send the case changes due to the shops' URLs now, in this process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=100,
                            help="webhooks looked up at a time (default 100)")
        parser.add_argument("--max-batches", type=int, default=20,
                            help="stop after this many batches (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        report = outgoing.send_due(batch=options["batch_size"], max_batches=options["max_batches"])
        self.stdout.write(f"{report.delivered} delivered, {report.retrying} to retry later, "
                          f"{report.failed} failed (gave up).")
