"""Getting a case's evidence pack: streamed in the request, or built by a worker when it is too large.

A pack whose files pass EVIDENCE_PACK_STREAM_MAX_BYTES could not be sent within the request timeout:
it is built by a worker into a private file, and the person who asked gets a notification with the
link. Only they may download it, and only while they may still see the case.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.errors import NotFound
from cases.evidence_pack import PackContents, prepare_evidence_pack
from cases.models import EvidencePack, PackState
from cases.selectors import visible_to
from notifications.enqueue import enqueue_on_commit
from notifications.services import tell_evidence_pack_ready

log = logging.getLogger(__name__)

# A build still pending after this long lost its task (the broker was down): asking again re-sends it.
STALE_BUILD = timedelta(minutes=5)


def get_evidence_pack(*, case_id: int, by: Any) -> PackContents | EvidencePack:
    """The pack to stream now, or, when its files are too large for one request, the build that
    makes it (asking again while it is being built gives the same build). NotFound: not your case."""
    contents = prepare_evidence_pack(case_id, by)
    if contents.files_size <= settings.EVIDENCE_PACK_STREAM_MAX_BYTES:
        return contents
    return _request_build(contents, by)


def _request_build(contents: PackContents, by: Any) -> EvidencePack:
    building = EvidencePack.objects.filter(case=contents.case, requested_by=by,
                                           state=PackState.BUILDING)
    pack = building.first()
    if pack is None:
        try:
            with transaction.atomic():
                pack = EvidencePack.objects.create(case=contents.case, requested_by=by)
        except IntegrityError:  # the same person asked twice at once: one build
            return building.get()
    elif pack.requested_at > timezone.now() - STALE_BUILD:
        return pack
    from cases.tasks import build_evidence_pack

    enqueue_on_commit(build_evidence_pack, pack.pk)
    return pack


def build_requested_pack(pack_id: int) -> bool:
    """Write the ZIP of a requested pack to storage and tell whoever asked; True when it is ready.

    Safe to run twice or in two workers at once: the first to finish keeps its file, the other
    deletes its own. Memory stays bounded: the ZIP goes to a temporary file a chunk at a time.
    """
    pack = EvidencePack.objects.select_related("requested_by").filter(
        pk=pack_id, state=PackState.BUILDING).first()
    if pack is None:
        return False
    try:
        contents = prepare_evidence_pack(pack.case_id, pack.requested_by)
    except NotFound:  # they may no longer see the case
        EvidencePack.objects.filter(pk=pack.pk, state=PackState.BUILDING).update(
            state=PackState.FAILED, error="the requester may no longer see the case")
        return False
    with tempfile.TemporaryFile() as spool:
        for chunk in contents.chunks():
            spool.write(chunk)
        size = spool.tell()
        spool.seek(0)
        pack.file.save("pack.zip", File(spool), save=False)
    finished = EvidencePack.objects.filter(pk=pack.pk, state=PackState.BUILDING).update(
        state=PackState.READY, file=pack.file.name, filename=contents.filename, size=size,
        ready_at=timezone.now())
    if not finished:  # another worker built it first
        pack.file.storage.delete(pack.file.name)
        return False
    _forget_older_packs(pack)
    tell_evidence_pack_ready(recipient=pack.requested_by, case_id=pack.case_id, pack_id=pack.pk)
    return True


def _forget_older_packs(pack: EvidencePack) -> None:
    """One ready pack per case and person: the newer one replaces the older ones and their files."""
    older = EvidencePack.objects.filter(case_id=pack.case_id, requested_by=pack.requested_by).exclude(
        pk=pack.pk).exclude(state=PackState.BUILDING)
    for name in older.exclude(file="").values_list("file", flat=True):
        pack.file.storage.delete(name)
    older.delete()


def ready_evidence_pack(*, case_id: int, pack_id: int, by: Any) -> EvidencePack:
    """A pack the user asked for, of a case they may still see; NotFound for anyone else's."""
    pack = EvidencePack.objects.filter(pk=pack_id, case_id=case_id, requested_by=by).first()
    if pack is None or not visible_to(by).filter(pk=case_id).exists():
        raise NotFound(_("This case has no evidence pack %(id)s.") % {"id": pack_id})
    return pack
