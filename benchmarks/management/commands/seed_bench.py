"""Seed the benchmark shops with N cases (tops up; running it again adds nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from benchmarks import seeding
from benchmarks.measuring import settle


class Command(BaseCommand):
    help = ("Top the benchmark shops (bench-1 … bench-5) up to N cases with timelines, contacts and "
            "reminders, in bulk. Idempotent: a second run with the same N adds nothing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000, help="How many cases in all.")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = options["cases"]
        if wanted < 0:
            self.stderr.write("--cases must be 0 or more.")
            return
        have = seeding.existing_cases()
        with tqdm(total=max(0, wanted - have), unit="case", desc="seeding",
                  file=self.stderr._out, disable=wanted <= have) as bar:
            added = seeding.seed(wanted, progress=bar.update)
        if added:
            settle()
        self.stdout.write(f"{seeding.existing_cases():,} benchmark cases ({added:,} added).")
