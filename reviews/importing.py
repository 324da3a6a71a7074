"""Reading a marketplace's review export (CSV or JSON Lines): one parsed review or one reason per row.

`read_reviews` checks the whole file first (UTF-8, a header with the required columns) and raises
`ImportFileError` before anything is imported; then it yields `(line_number, ParsedReview | str)`:
a string is the reason a row is bad. Storing the rows is `reviews.services.import_reviews`.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import IO, Any

from rest_framework import serializers

from reviews.inputs import rating_from
from reviews.models import Review

# The export's own column names (marketplace_reviews_export.csv) → Review's fields.
DEFAULT_COLUMNS: dict[str, str] = {
    "review_id": "platform_review_id",
    "posted_at": "posted_at",
    "category": "category",
    "rating": "rating",
    "review_text": "text",
}
REQUIRED = ("review_id", "posted_at", "rating", "review_text")
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
MAX_ID = Review._meta.get_field("platform_review_id").max_length
MAX_CATEGORY = Review._meta.get_field("category").max_length


class ImportFileError(Exception):
    """The file as a whole cannot be imported (nothing was)."""


@dataclass(frozen=True)
class ParsedReview:
    platform_review_id: str
    posted_at: datetime
    rating: int
    text: str
    category: str


Row = tuple[int, ParsedReview | str]


def parse_mapping(spec: str | None) -> dict[str, str]:
    """`review_id=id,rating=stars` → {export column: column in this file}, for all five columns."""
    mapping = {name: name for name in DEFAULT_COLUMNS}
    aliases = {field: name for name, field in DEFAULT_COLUMNS.items()}  # platform_review_id, text
    for part in filter(None, (p.strip() for p in (spec or "").split(","))):
        name, sep, column = (s.strip() for s in part.partition("="))
        name = aliases.get(name, name)
        if not sep or not column or name not in mapping:
            raise ImportFileError(
                f"--map: cannot read {part!r}; use NAME=COLUMN with NAME one of "
                f"{', '.join(DEFAULT_COLUMNS)}"
            )
        mapping[name] = column
    return mapping


def format_of(filename: str, given: str | None = None) -> str:
    if given:
        return given
    for ext, fmt in FORMATS.items():
        if filename.lower().endswith(ext):
            return fmt
    raise ImportFileError(f"Cannot tell the format of {filename}: give --format csv or jsonl.")


def check_utf8(binary: IO[bytes], chunk_size: int = 1 << 20) -> None:
    """Raise ImportFileError naming the line of the first byte that is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, lines = 0, 1
    while True:
        chunk = binary.read(chunk_size)
        kept = len(decoder.getstate()[0])  # the start of a character cut by the last chunk
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            bad = max(error.start - kept, 0)  # the error's offset counts the kept bytes too
            line = lines + chunk[:bad].count(b"\n")
            raise ImportFileError(
                f"The file is not UTF-8 text (line {line}, byte {offset + bad}): export it as UTF-8."
            ) from None
        if not chunk:
            return
        offset += len(chunk)
        lines += chunk.count(b"\n")


def read_reviews(binary: IO[bytes], *, fmt: str, mapping: Mapping[str, str], tz: tzinfo) -> Iterator[Row]:
    """Check the file, then yield every row. `binary` must be seekable (checked, then read again)."""
    check_utf8(binary)
    binary.seek(0)
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    records = _csv_records(text, mapping) if fmt == "csv" else _jsonl_records(text, mapping)
    seen: dict[str, int] = {}
    for line, record in records:
        if isinstance(record, str):
            yield line, record
            continue
        parsed = _parse(record, mapping, tz)
        if isinstance(parsed, ParsedReview):
            first = seen.setdefault(parsed.platform_review_id, line)
            if first != line:
                parsed = f"review id {parsed.platform_review_id} is a duplicate of line {first}"
        yield line, parsed


def _missing(columns: list[str], mapping: Mapping[str, str]) -> list[str]:
    return [mapping[name] for name in REQUIRED if mapping[name] not in columns]


def _missing_error(missing: list[str]) -> ImportFileError:
    return ImportFileError(f"Missing required column(s): {', '.join(missing)}. "
                           "Rename them with --map, e.g. --map review_id=id.")


def _csv_records(text: IO[str], mapping: Mapping[str, str]) -> Iterator[tuple[int, dict | str]]:
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("The file is empty: no header, no reviews.") from None
    header = [column.strip() for column in header]
    if not any(header):
        raise ImportFileError("The file's first line is empty: it has no header.")
    missing = _missing(header, mapping)
    if missing:
        raise _missing_error(missing)
    line = reader.line_num
    while True:
        start = line + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line = reader.line_num
            yield start, f"unreadable CSV: {error}"
            continue
        line = reader.line_num
        if not fields or fields == [""]:
            continue  # a blank line
        if len(fields) > len(header):
            yield start, f"{len(fields)} fields, but the header has {len(header)}"
            continue
        yield start, dict(zip(header, fields, strict=False))


def _jsonl_records(text: IO[str], mapping: Mapping[str, str]) -> Iterator[tuple[int, dict | str]]:
    checked = False
    for line, raw in enumerate(text, start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except ValueError as error:
            yield line, f"not JSON: {error}"
            continue
        if not isinstance(record, dict):
            yield line, "not a JSON object"
            continue
        if not checked:
            missing = _missing(list(record), mapping)
            if missing:
                raise _missing_error(missing)
            checked = True
        yield line, record
    if not checked:
        raise ImportFileError("The file is empty: no reviews in it.")


def _value(record: Mapping[str, Any], column: str) -> str | None:
    value = record.get(column)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _parse(record: Mapping[str, Any], mapping: Mapping[str, str], tz: tzinfo) -> ParsedReview | str:
    review_id = (_value(record, mapping["review_id"]) or "").strip()
    if not review_id:
        return "empty review id"
    if len(review_id) > MAX_ID:
        return f"review id longer than {MAX_ID} characters"
    raw_rating = record.get(mapping["rating"])
    if raw_rating is None or (isinstance(raw_rating, str) and not raw_rating.strip()):
        return "missing rating"
    try:
        rating = rating_from(raw_rating)
    except serializers.ValidationError:
        return f"invalid rating {raw_rating!r}: give 1 to 5, or 好评, 中评 or 差评"
    raw_time = (_value(record, mapping["posted_at"]) or "").strip()
    if not raw_time:
        return "missing posted_at"
    try:
        posted_at = datetime.fromisoformat(raw_time)
    except ValueError:
        return f"posted_at {raw_time!r} is not an ISO 8601 time (like 2026-02-26T01:15:00+08:00)"
    if posted_at.tzinfo is None:
        posted_at = posted_at.replace(tzinfo=tz)
    text = _value(record, mapping["review_text"])
    if text is None:
        return f"missing {mapping['review_text']}"
    category = (_value(record, mapping["category"]) or "").strip()
    if len(category) > MAX_CATEGORY:
        return f"category longer than {MAX_CATEGORY} characters"
    return ParsedReview(platform_review_id=review_id, posted_at=posted_at, rating=rating, text=text,
                        category=category)
