"""manage.py import_reviews FILE --shop CODE: a marketplace's review export into reviews and cases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cases.models import Shop
from reviews.importing import DEFAULT_COLUMNS, ImportFileError, Row, format_of, parse_mapping, read_reviews
from reviews.services import import_reviews

SHOW_BAD = 20
PROGRESS_FROM_BYTES = 1 << 20  # a progress bar for files of 1 MB and more


class Command(BaseCommand):
    help = (
        "Import a marketplace's review export (CSV or JSON Lines). Every valid review is stored; "
        "a rating of 3 or below (中评, 差评) also opens a negative-review case. Re-running imports "
        "nothing twice. Columns by default: " + ",".join(DEFAULT_COLUMNS) + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The export: .csv, or .jsonl/.ndjson (JSON Lines), UTF-8.")
        parser.add_argument("--shop", required=True, help="The shop's code.")
        parser.add_argument(
            "--map", dest="mapping", default="",
            help="Rename columns: NAME=COLUMN pairs, comma-separated, NAME one of "
                 + ", ".join(DEFAULT_COLUMNS) + ". E.g. --map review_id=id,rating=stars,"
                 "review_text=content. Ratings are 1-5 or 好评/中评/差评; posted_at is ISO 8601 "
                 "(times without an offset are in the shop's time zone).",
        )
        parser.add_argument("--format", choices=["csv", "jsonl"],
                            help="Default: from the file's extension.")
        parser.add_argument("--batch-size", type=int, default=2000, help="Reviews per transaction.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        shop = Shop.objects.filter(code=options["shop"]).first()
        if shop is None:
            raise CommandError(f"No shop with the code {options['shop']!r}.")
        try:
            tz = ZoneInfo(shop.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CommandError(f"Shop {shop.code} has an unknown time zone {shop.time_zone!r}.") from None
        path = options["file"]
        try:
            mapping = parse_mapping(options["mapping"])
            fmt = format_of(path, options["format"])
            binary = open(path, "rb")  # noqa: SIM115 (closed below; the bar reads its position)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        with binary:
            size = os.fstat(binary.fileno()).st_size
            try:
                rows = read_reviews(binary, fmt=fmt, mapping=mapping, tz=tz)
                first = next(rows, None)  # the file's checks run here, before anything is stored
            except ImportFileError as error:
                raise CommandError(f"{path}: {error} Nothing was imported.") from None
            show = size >= PROGRESS_FROM_BYTES and not options["no_progress"]
            with tqdm(total=size, unit="B", unit_scale=True, disable=not show,
                      file=self.stderr._out, desc="Importing") as bar:
                try:
                    report = import_reviews(shop=shop, rows=_with_progress(first, rows, binary, bar),
                                            batch_size=options["batch_size"])
                except ImportFileError as error:  # JSON Lines: checked on its first object
                    raise CommandError(f"{path}: {error}") from None
                bar.update(size - bar.n)
        for line, reason in report.bad[:SHOW_BAD]:
            self.stderr.write(f"line {line}: {reason}")
        if len(report.bad) > SHOW_BAD:
            self.stderr.write(f"… and {len(report.bad) - SHOW_BAD} more bad rows.")
        self.stdout.write(report.summary())


def _with_progress(first: Row | None, rows: Iterator[Row], binary: IO[bytes], bar: tqdm) -> Iterator[Row]:
    if first is None:
        return
    yield first
    for n, row in enumerate(rows, start=1):
        if n % 1000 == 0:
            bar.update(binary.tell() - bar.n)
        yield row
