"""The evidence pack: one ZIP with everything the marketplace needs to judge a dispute.

For a case going to the platform (an appeal, a request to intervene): `summary.html` (one page,
no external assets), `timeline.csv`, `contacts.csv` and the attached files. The buyer's phone and
address are masked in it: the pack leaves the shop.

Everything from the database is read first; the ZIP is then written as it is sent (zip_stream), so
memory stays bounded whatever the files. A pack whose files are too large to send within a request
is built by a worker instead (cases/services/evidence_packs.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cases import selectors
from cases.attachments import clean_name
from cases.models import Attachment, Case, State
from cases.pii import mask_address, mask_phone
from cases.zip_stream import Member, zip_chunks
from config.service_errors import NotFound

TEMPLATE = "evidence_pack/summary.html"
# Cells a spreadsheet would run as a formula (CSV injection): written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class PackedFile:
    name: str  # its path in the ZIP, under attachments/
    attachment: Attachment
    missing: bool  # the stored file is gone: listed in the summary, not in the ZIP

    def member(self) -> Member:
        return Member(self.name, partial(self.attachment.file.open, "rb"), self.attachment.size,
                      compress=self.attachment.content_type == "text/plain")


@dataclass(frozen=True)
class PackContents:
    """What goes into one evidence pack, read from the database; the files are read as it is written."""

    case: Case
    filename: str
    made_at: datetime  # in the shop's time zone
    texts: dict[str, str] = field(repr=False)  # summary.html, timeline.csv, contacts.csv
    files: list[PackedFile] = field(repr=False)

    @property
    def files_size(self) -> int:
        return sum(packed.attachment.size for packed in self.files if not packed.missing)

    def chunks(self) -> Iterator[bytes]:
        """The ZIP, a chunk at a time: at most a few hundred kilobytes in memory at once."""
        texts = [Member(name, partial(io.BytesIO, text.encode()), len(text.encode()), compress=True)
                 for name, text in self.texts.items()]
        members = texts + [packed.member() for packed in self.files if not packed.missing]
        return zip_chunks(members, self.made_at.timetuple()[:6])


def prepare_evidence_pack(case_id: int, user: Any) -> PackContents:
    """The pack of a case the user may see; NotFound when they may not.

    Five queries whatever the case holds: the case (shop, order, buyer, review), its timeline,
    contacts and evidence (selectors.case_detail), and its attachments.
    """
    case = selectors.case_detail(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("There is no case %(id)s.") % {"id": case_id})
    attachments = list(selectors.attachments_of(case.pk))
    timeline, contacts = list(case.timeline.all()), list(case.contacts.all())
    files = _packed_files(attachments)
    tz = _shop_zone(case)
    with timezone.override(tz):
        summary = render_to_string(TEMPLATE, _summary_context(case, timeline, contacts, files))
    made_at = timezone.localtime(timezone.now(), tz)
    return PackContents(
        case=case, filename=f"evidence-pack-case-{case.pk}-{made_at:%Y%m%d-%H%M}.zip",
        made_at=made_at, files=files, texts={
            "summary.html": summary,
            "timeline.csv": _timeline_csv(timeline, tz),
            "contacts.csv": _contacts_csv(contacts, tz),
        })


def _shop_zone(case: Case) -> Any:
    try:
        return ZoneInfo(case.shop.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def _packed_files(attachments: list[Attachment]) -> list[PackedFile]:
    """Each attachment under its name with its type's extension (a text file is always `.txt`);
    a second "photo.jpg" becomes "photo (2).jpg"."""
    taken: set[str] = set()
    files = []
    for attachment in attachments:
        name = clean_name(attachment.file_name) or f"attachment-{attachment.pk}{attachment.extension}"
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        candidate, n = name, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem} ({n}){dot}{suffix}"
        taken.add(candidate.lower())
        missing = not attachment.file.name or not attachment.file.storage.exists(attachment.file.name)
        files.append(PackedFile(f"attachments/{candidate}", attachment, missing))
    return files


def _summary_context(case: Case, timeline: list, contacts: list, files: list[PackedFile]) -> dict:
    customer = case.customer
    return {
        "case": case,
        "language": get_language() or "en",
        "generated_at": timezone.now(),
        "buyer": None if customer is None else {
            "handle": customer.handle,
            "phone": mask_phone(case.buyer_phone),
            "address": mask_address(case.buyer_address),
        },
        "review": getattr(case, "review", None),
        "deadlines": [(label, value) for label, value in (
            (_("Opened"), case.opened_at),
            (_("First response due"), case.first_response_due_at),
            (_("First responded"), case.first_responded_at),
            (_("Resolution due"), case.resolution_due_at),
            (_("The marketplace decides at"), case.marketplace_due_at),
            (_("The platform decided"), case.platform_decided_at),
            (_("Appeal possible until"), case.appeal_due_at),
            (_("Resolved"), case.resolved_at),
            (_("Closed"), case.closed_at),
        ) if value is not None],
        "timeline": [{
            "at": event.at, "type": event.type,
            "actor": event.actor.get_username() if event.actor else "",
            "from_state": _state_label(event.from_state), "to_state": _state_label(event.to_state),
            "details": [(key, _text(value)) for key, value in (event.data or {}).items()],
        } for event in timeline],
        "contacts": contacts,
        "evidence": list(case.evidence.all()),
        "files": files,
    }


def _state_label(value: str) -> str:
    return str(State(value).label) if value in State.values else value


def _text(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _at(value: datetime | None, tz: Any) -> str:
    return "" if value is None else timezone.localtime(value, tz).isoformat(timespec="seconds")


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["'" + cell if cell.startswith(FORMULA_STARTS) else cell
                         for cell in (_text(value) for value in row)])
    # A byte-order mark: spreadsheets then read the Chinese texts as UTF-8.
    return "\ufeff" + out.getvalue()


def _timeline_csv(timeline: list, tz: Any) -> str:
    return _csv(
        [_("At"), _("Event"), _("By"), _("From"), _("To"), _("Details")],
        [[_at(e.at, tz), e.type, e.actor.get_username() if e.actor else "", e.from_state,
          e.to_state, e.data or {}] for e in timeline],
    )


def _contacts_csv(contacts: list, tz: Any) -> str:
    return _csv(
        [_("At"), _("Channel"), _("Direction"), _("Outcome"), _("By"), _("What was said")],
        [[_at(c.at, tz), c.get_channel_display(), c.get_direction_display(),
          c.get_outcome_display(), c.by.get_username() if c.by else "", c.body] for c in contacts],
    )
