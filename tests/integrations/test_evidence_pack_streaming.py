"""The evidence pack and many large files: streamed with bounded memory, and capped per case."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
import zipfile

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Attachment, Case

MB = 1024 * 1024


def stored_photo(case: Case, by, size: int, name: str = "photo.jpg") -> Attachment:
    """A large stored file, as attach_file keeps it (written directly: decoding is not the point)."""
    content = os.urandom(size)
    attachment = Attachment(case=case, original_name=name, content_type="image/jpeg",
                            extension=".jpg", size=size, uploaded_by=by,
                            sha256=hashlib.sha256(content).hexdigest())
    attachment.file.save("upload.jpg", ContentFile(content), save=True)
    return attachment


def pack_url(case: Case) -> str:
    return f"/api/v1/cases/{case.pk}/evidence-pack/"


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def upload(api, user, case, name: str, content: bytes):
    return api(user).post(f"/api/v1/cases/{case.pk}/attachments/",
                          {"file": SimpleUploadedFile(name, content)}, format="multipart")


# --- streamed with bounded memory -----------------------------------------------------------------


def test_the_pack_is_streamed_without_holding_its_files_in_memory(api, case, agent, settings):
    # given four 8 MB files: the old pack held all of them, and the ZIP, in memory at once
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 64 * MB
    photos = [stored_photo(case, agent, 8 * MB) for _ in range(4)]
    body_of(api(agent).get(pack_url(case)))  # once before: templates compiled, modules imported

    # when the pack is downloaded and read as it arrives
    tracemalloc.start()
    try:
        response = api(agent).get(pack_url(case))
        crc = zipfile.crc32(b"")
        total = 0
        chunks = response.streaming_content if response.streaming else [response.content]
        for chunk in chunks:
            total += len(chunk)
            crc = zipfile.crc32(chunk, crc)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # then less than 2 MB was ever allocated at once for 32 MB of files
    assert response.status_code == 200
    assert total > 32 * MB
    assert peak < 2 * MB, f"peak {peak / MB:.1f} MB"
    assert len(photos) == 4


def test_the_streamed_pack_holds_every_file_intact(api, case, agent):
    photos = [stored_photo(case, agent, size, f"p{size}.jpg") for size in (1, 300_000, 2 * MB)]

    pack = zipfile.ZipFile(io.BytesIO(body_of(api(agent).get(pack_url(case)))))

    assert pack.testzip() is None
    for photo in photos:
        assert pack.read(f"attachments/{photo.original_name}") == photo.file.open("rb").read()


# --- caps per case --------------------------------------------------------------------------------


def test_a_case_keeps_at_most_the_set_number_of_files(api, case, agent, settings):
    settings.CASE_MAX_ATTACHMENTS = 3
    for i in range(3):
        assert upload(api, agent, case, f"note{i}.txt", b"signed for").status_code == 201

    response = upload(api, agent, case, "note4.txt", b"signed for")

    assert response.status_code == 400
    assert "already has 3 files, the most a case keeps" in response.json()["detail"]
    assert case.attachments.count() == 3


def test_a_case_keeps_at_most_the_set_number_of_bytes(api, case, agent, settings):
    settings.CASE_MAX_ATTACHMENT_BYTES = 1 * MB
    stored_photo(case, agent, 900_000)

    response = upload(api, agent, case, "note.txt", b"x" * 200_000)

    assert response.status_code == 400
    assert "past 1 MB, the most a case keeps" in response.json()["detail"]
    assert case.attachments.count() == 1
    assert upload(api, agent, case, "note.txt", b"x" * 100_000).status_code == 201
