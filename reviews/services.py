"""Importing a marketplace's reviews in bulk: every review stored, every low one opens a case.

Not one `open_case` per row (too slow for an export of 60,000 reviews): per batch, in one
transaction, it looks up which ids the shop already has, opens the cases of the low ratings through
`open_cases` (the bulk form of the API's opening: the same event, outgoing row and reminders), and
bulk-creates the reviews. A batch is all-or-nothing; a re-run imports nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from cases import services
from cases.models import Kind, Shop
from cases.services import Opening
from reviews.importing import ParsedReview, Row
from reviews.models import Review, external_id_of, opens_a_case

BATCH_SIZE = 2000


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    cases_opened: int = 0
    already_there: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.rows} rows: {self.imported} reviews imported ({self.cases_opened} cases "
                f"opened), {self.already_there} already there, {len(self.bad)} bad")


def import_reviews(
    *, shop: Shop, rows: Iterable[Row], batch_size: int = BATCH_SIZE,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Store the good rows (see reviews.importing.read_reviews), count the bad ones."""
    report = ImportReport()
    for batch in _batches(rows, batch_size, report):
        _import_batch(shop, batch, report)
        if on_batch is not None:
            on_batch(report)
    return report


def _batches(rows: Iterable[Row], size: int, report: ImportReport) -> Iterator[list[ParsedReview]]:
    """The good rows, `size` at a time; the bad ones go straight into the report."""
    batch: list[ParsedReview] = []
    for line, row in rows:
        report.rows += 1
        if isinstance(row, str):
            report.bad.append((line, row))
            continue
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def _import_batch(shop: Shop, batch: list[ParsedReview], report: ImportReport) -> None:
    ids = [review.platform_review_id for review in batch]
    there = set(Review.objects.filter(shop=shop, platform_review_id__in=ids)
                .values_list("platform_review_id", flat=True))
    new = [review for review in batch if review.platform_review_id not in there]
    # The same opening as through the API, in bulk; a case opened for the review some other way
    # (it has no Review row yet) is linked, not doubled.
    openings = services.open_cases(by=None, shop=shop, kind=Kind.NEGATIVE_REVIEW, openings=[
        Opening(external_id=external_id_of(r.platform_review_id), description=r.text,
                marketplace_from=r.posted_at)
        for r in new if opens_a_case(r.rating)
    ])
    now = timezone.now()
    Review.objects.bulk_create(
        Review(shop=shop, platform_review_id=r.platform_review_id, rating=r.rating, text=r.text,
               category=r.category, posted_at=r.posted_at, imported_at=now,
               case_id=openings.case_ids.get(external_id_of(r.platform_review_id)))
        for r in new
    )
    report.imported += len(new)
    report.cases_opened += len(openings.opened)
    report.already_there += len(batch) - len(new)
