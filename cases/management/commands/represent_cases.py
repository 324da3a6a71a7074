"""Backfill: the vectors of cases' buyer texts, for imported history or after a change of model.

    manage.py represent_cases [--shop CODE] [--batch-size 64] [--recheck]

Resumable and idempotent: each batch is written as it is done, and a run looks only at the cases
without a vector of the current representation (`--recheck`: every case, writing those whose text
changed), so a stopped run goes on where it stopped and a second run writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from tqdm import tqdm

from cases.assistant.embedding import representation
from cases.models import Case, Shop
from cases.services.vectors import cases_to_represent, represent_cases


class Command(BaseCommand):
    help = "Compute the vectors of cases' buyer texts that are missing or stale (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", default="", help="one shop's code (default: every shop)")
        parser.add_argument("--batch-size", type=int, default=64)
        parser.add_argument("--recheck", action="store_true",
                            help="also every case that has a vector (a text changed)")

    def handle(self, *args: Any, **options: Any) -> None:
        shop_id = None
        if options["shop"]:
            shop_id = Shop.objects.filter(code=options["shop"]).values_list("pk", flat=True).first()
            if shop_id is None:
                raise CommandError(f"There is no shop {options['shop']!r}.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more.")
        rep = representation()

        def pending(after: int) -> Q:
            if not options["recheck"]:
                return cases_to_represent(shop_id=shop_id, after=after)
            return Q(pk__gt=after) & (Q(shop_id=shop_id) if shop_id is not None else Q())

        total = Case.objects.filter(pending(0)).count()
        written = after = 0
        with tqdm(total=total, unit="case", desc=rep.name, disable=options["verbosity"] < 1) as bar:
            while True:
                ids = list(Case.objects.filter(pending(after)).order_by("pk")
                           .values_list("pk", flat=True)[:options["batch_size"]])
                if not ids:
                    break
                written += represent_cases(ids)
                after = ids[-1]
                bar.update(len(ids))
        self.stdout.write(f"{written} vectors written ({rep.name}); {total} cases looked at.")
