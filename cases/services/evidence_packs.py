"""Getting a case's evidence pack: streamed in the request, or built by a worker when it is too large.

A pack whose files pass EVIDENCE_PACK_STREAM_MAX_BYTES could not be sent within the request timeout:
it is built by a worker into a private file, and the person who asked gets a notification with the
link. Only they may download it, and only while they may still see the case.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.evidence_pack import PackContents, prepare_evidence_pack
from cases.models import EvidencePack, PackState
from cases.selectors import visible_to
from config.claims import stale_before
from config.enqueue import enqueue_on_commit
from config.service_errors import NotFound
from notifications.services import tell_evidence_pack_ready

# A build not started this long after it was asked for lost its task (the broker was down); one
# started this long ago lost its worker. The sweep (build_waiting_packs, every minute) takes both.
LOST_TASK = timedelta(minutes=1)
SWEEP_BATCH = 5


def get_evidence_pack(*, case_id: int, by: Any) -> PackContents | EvidencePack:
    """The pack to stream now, or, when its files are too large for one request, the built pack:
    the one built for this user since the case last changed (ready), else the one being built
    (asking again gives the same build), else a new build. NotFound: not your case."""
    contents = prepare_evidence_pack(case_id, by)
    if contents.files_size <= settings.EVIDENCE_PACK_STREAM_MAX_BYTES:
        return contents
    return _request_build(contents, by)


def _request_build(contents: PackContents, by: Any) -> EvidencePack:
    packs = EvidencePack.objects.filter(case=contents.case, requested_by=by)
    last_change = max((event.at for event in contents.case.timeline.all()), default=None)
    for pack in packs.exclude(state=PackState.FAILED):  # at most one ready and one building
        if pack.state == PackState.BUILDING:
            return pack
        if last_change is None or (pack.started_at and pack.started_at >= last_change):
            return pack  # ready, and the case has not changed since it was built
    building = packs.filter(state=PackState.BUILDING)
    try:
        with transaction.atomic():
            pack = EvidencePack.objects.create(case=contents.case, requested_by=by)
    except IntegrityError:  # the same person asked twice at once: one build
        return building.get()
    enqueue_on_commit("cases.tasks.build_evidence_pack", pack.pk)
    return pack


def build_requested_pack(pack_id: int, *, now: datetime | None = None) -> bool:
    """Write the ZIP of a requested pack to storage and tell whoever asked; True when it is ready.

    Safe to run twice or in two workers at once: the row is claimed first (a conditional UPDATE),
    and only the claim's holder marks it ready. Memory stays bounded: the ZIP goes to a temporary
    file a chunk at a time.
    """
    now = now or timezone.now()
    claimed = EvidencePack.objects.filter(pk=pack_id, state=PackState.BUILDING).filter(
        Q(started_at__isnull=True) | Q(started_at__lt=stale_before(now))).update(started_at=now)
    if not claimed:
        return False
    pack = EvidencePack.objects.select_related("requested_by").get(pk=pack_id)
    ours = EvidencePack.objects.filter(pk=pack_id, state=PackState.BUILDING, started_at=now)
    try:
        contents = prepare_evidence_pack(pack.case_id, pack.requested_by)
    except NotFound:  # they may no longer see the case
        ours.update(state=PackState.FAILED, error="the requester may no longer see the case")
        return False
    try:
        with tempfile.TemporaryFile() as spool:
            for chunk in contents.chunks():
                spool.write(chunk)
            size = spool.tell()
            spool.seek(0)
            pack.file.save("pack.zip", File(spool), save=False)
    except Exception as exc:  # the disk is full, a file cannot be read: asking again starts anew
        ours.update(state=PackState.FAILED, error=repr(exc)[:2000])
        raise
    if not ours.update(state=PackState.READY, file=pack.file.name, filename=contents.filename,
                       size=size, ready_at=timezone.now()):
        pack.file.storage.delete(pack.file.name)  # our claim went stale and another worker took it
        return False
    _forget_older_packs(pack)
    tell_evidence_pack_ready(recipient=pack.requested_by, case_id=pack.case_id, pack_id=pack.pk)
    return True


def build_waiting_packs(*, now: datetime | None = None) -> int:
    """The sweep: build packs whose task was lost or whose worker died; how many became ready."""
    now = now or timezone.now()
    waiting = EvidencePack.objects.filter(state=PackState.BUILDING).filter(
        Q(started_at__isnull=True, requested_at__lt=now - LOST_TASK)
        | Q(started_at__lt=stale_before(now))).order_by("requested_at", "id")
    return sum(build_requested_pack(pack_id, now=now)
               for pack_id in waiting.values_list("id", flat=True)[:SWEEP_BATCH])


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
