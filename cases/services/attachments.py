"""Keeping a file for a case: the one way an attachment is written (the API, the case page)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cases import events
from cases.attachments import clean_image, clean_name, detect, read_upload, refuse
from cases.models import Attachment, Case
from cases.services.common import check_may, lock_case
from config.service_errors import NotFound


def attach_file(*, case_id: int, by: Any, upload: Any) -> Attachment:
    """Keep a file the buyer or the agent sent for the case (the buyer's photos, courier receipts).

    Refused with InvalidInput: an empty or too large file, a case that holds too many or too large
    files already, a program or script, markup in a text, anything that is not a photo, a PDF or
    plain text, an image that cannot be decoded or has too many frames or pixels.
    A refused file leaves nothing behind: no row, no file, no timeline event.
    """
    # Who may attach, before looking at the file (others learn nothing about the case).
    check_may(by, "cases.work_case", _case(case_id), _("You may not work on this case."))
    data = read_upload(upload)
    check_room(case_id, len(data))  # before decoding: a full case costs no work
    kind = detect(data)
    if kind.is_image:
        data = clean_image(data, kind)
    # The file was checked outside the transaction: decoding a large photo holds no lock.
    stored_name = ""
    try:
        with transaction.atomic():
            case = lock_case(case_id)
            check_may(by, "cases.work_case", case, _("You may not work on this case."))
            check_room(case_id, len(data))  # again under the case's lock: two uploads at once
            attachment = Attachment(
                case=case, original_name=clean_name(getattr(upload, "name", ""), kind),
                content_type=kind.content_type, extension=kind.extension, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), uploaded_by=by,
            )
            # The stored path comes from the content's hash (attachment_path), never from the name.
            attachment.file.save(f"upload{kind.extension}", ContentFile(data), save=False)
            stored_name = attachment.file.name
            attachment.save()
            events.attachment_added(case=case, by=by, attachment=attachment)
    except BaseException:
        if stored_name:
            attachment.file.storage.delete(stored_name)
        raise
    return attachment


def check_room(case_id: int, size: int) -> None:
    """InvalidInput when the case already holds CASE_MAX_ATTACHMENTS files, or this file would take
    its files past CASE_MAX_ATTACHMENT_BYTES (the evidence pack must stay small enough to send)."""
    held = Attachment.objects.filter(case_id=case_id).aggregate(
        files=Count("id"), size=Coalesce(Sum("size"), 0))
    max_files, max_bytes = settings.CASE_MAX_ATTACHMENTS, settings.CASE_MAX_ATTACHMENT_BYTES
    if held["files"] >= max_files:
        raise refuse(_("This case already has %(n)s files, the most a case keeps. Put several "
                       "photos in one (a collage or a PDF), or leave out the ones the marketplace "
                       "does not need.") % {"n": max_files})
    if held["size"] + size > max_bytes:
        raise refuse(_("This file would take the case's files past %(mb)s MB, the most a case "
                       "keeps (%(held)s MB so far). Send a smaller file (a lower resolution or a "
                       "screenshot).") % {"mb": f"{max_bytes / 2**20:.3g}",
                                          "held": f"{held['size'] / 2**20:.3g}"})


def _case(case_id: int) -> Case:
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("There is no case %(id)s.") % {"id": case_id})
    return case
