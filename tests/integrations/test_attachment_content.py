"""What an attachment may hold: no animation that takes a worker down, no markup kept as text."""

from __future__ import annotations

import io
import time
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.animation import gif_size
from cases.models import Attachment
from cases.services import attach_file
from config.service_errors import InvalidInput


def upload(api, user, case, name: str, content: bytes):
    return api(user).post(f"/api/v1/cases/{case.pk}/attachments/",
                          {"file": SimpleUploadedFile(name, content, "application/octet-stream")},
                          format="multipart")


def one_pixel_gif(frames: int, junk_between_frames: bytes = b"") -> bytes:
    """A GIF of `frames` one-pixel frames, written block by block (Pillow would merge them)."""
    header = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff"
    frame = (b"\x21\xf9\x04\x00\x01\x00\x00\x00"  # graphic control: 10 ms
             b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00"  # image descriptor, 1 × 1
             b"\x02\x02\x44\x01\x00")  # LZW data
    return header + (frame + junk_between_frames) * frames + b";"


# --- item 6: animations --------------------------------------------------------------------------


def test_a_gif_of_420000_one_pixel_frames_is_refused_with_the_reason_in_well_under_a_second(
    api, case, agent
):
    # given a 9.6 MB GIF that kept a worker busy until it was killed
    bomb = one_pixel_gif(420_000)

    # when the service checks it (the time the test client takes to write the form is left out)
    started = time.monotonic()
    with pytest.raises(InvalidInput) as refused:
        attach_file(case_id=case.pk, by=agent, upload=SimpleUploadedFile("unboxing.gif", bomb))
    elapsed = time.monotonic() - started

    # then it is refused at once, and the API answers 400 with the reason
    assert "more than 500 frames" in str(refused.value)
    assert elapsed < 0.5
    response = upload(api, agent, case, "unboxing.gif", bomb)
    assert response.status_code == 400
    assert "more than 500 frames" in response.json()["detail"]
    assert not Attachment.objects.exists()


def test_a_gif_of_40000_frames_is_refused_before_any_frame_is_decoded(api, case, agent, monkeypatch):
    decoded = []
    monkeypatch.setattr(Image.Image, "convert", lambda *args, **kwargs: decoded.append(1))

    response = upload(api, agent, case, "clip.gif", one_pixel_gif(40_000))

    assert response.status_code == 400
    assert "frames" in response.json()["detail"]
    assert decoded == []


def test_the_frame_cap_is_a_setting(api, case, agent, settings):
    settings.ATTACHMENT_MAX_FRAMES = 10

    assert upload(api, agent, case, "ten.gif", one_pixel_gif(10)).status_code == 201
    response = upload(api, agent, case, "eleven.gif", one_pixel_gif(11))

    assert response.status_code == 400
    assert "more than 10 frames" in response.json()["detail"]


def test_bytes_between_frames_do_not_hide_frames_from_the_count():
    # Pillow skips unknown bytes between blocks and goes on decoding: the count does too.
    gif = one_pixel_gif(600, junk_between_frames=b"\x00\x07")

    assert gif_size(gif, max_frames=10_000, max_pixels=10**9).frames == 600
    assert Image.open(io.BytesIO(gif)).n_frames == 600


def test_frames_drawn_outside_the_canvas_count_the_pixels_of_the_larger_canvas():
    # given a 1 × 1 canvas whose frames are drawn at 4000 × 4000
    header = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x2c\xa0\x0f\xa0\x0f\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00"
    gif = header + frame * 5 + b";"

    # then each frame counts 4001 × 4001 pixels, as Pillow decodes it
    assert gif_size(gif, max_frames=100, max_pixels=10**9).pixels == 5 * 4001 * 4001


def test_an_animation_of_too_many_pixels_in_all_is_refused(api, case, agent):
    # given 13 frames on a 2000 × 2000 canvas: 52 million pixels decoded, in a few hundred bytes
    header = b"GIF89a\xd0\x07\xd0\x07\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00"

    response = upload(api, agent, case, "big.gif", header + frame * 13 + b";")

    assert response.status_code == 400
    assert "million pixels" in response.json()["detail"]


def test_a_multi_picture_jpeg_is_kept_as_one_photo(api, case, agent):
    # given a phone's multi-picture JPEG (MPO): two pictures in one file
    pictures = [Image.new("RGB", (20, 10), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    pictures[0].save(out, "MPO", save_all=True, append_images=pictures[1:])

    response = upload(api, agent, case, "3d.jpg", out.getvalue())

    assert response.status_code == 201
    with Attachment.objects.get().file.open("rb") as stored:
        kept = Image.open(stored)
        assert (kept.format, getattr(kept, "n_frames", 1)) == ("JPEG", 1)


# --- item 8: text is text, PDFs do not run code -------------------------------------------------


@pytest.mark.parametrize(("name", "content"), [
    ("prefixed.html", b"Evidence of the delivery\n\n<script>alert(document.cookie)</script>\n"),
    ("b.svg", b"<!-- x --><svg onload=alert(1)>"),
    ("body_renamed.jpg", "买家聊天记录\n<body onload=alert(1)>\n".encode()),
    ("notes.txt", b"see the page\n</p><img src=x onerror=alert(1)>"),
    ("notes.txt", b"chat log\n<!DOCTYPE html>"),
    ("notes.txt", b"chat log\n<?xml version='1.0'?><x/>"),
])
def test_markup_anywhere_in_a_text_file_is_refused_with_the_reason(api, case, agent, name, content):
    response = upload(api, agent, case, name, content)

    assert response.status_code == 400
    assert "web-page markup" in response.json()["detail"]
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("text", [
    "运费 < 10 元，退款 > 5 元",
    "I <3 this shop; a < b and b > c",
    "price <= 100, 2<3, x<-y, <--, <<1>>",
])
def test_text_with_angle_brackets_but_no_markup_is_kept(api, case, agent, text):
    assert upload(api, agent, case, "chat.txt", text.encode()).status_code == 201


@pytest.mark.parametrize("name", ["prefixed.html", "b.svg", "body_renamed.jpg", "notes", "page.HTM"])
def test_a_text_file_is_served_as_txt_whatever_name_it_came_with(api, case, agent, name):
    # given a plain text file sent under another type's name
    answer = upload(api, agent, case, name, b"Parcel signed for by the doorman.\n")
    assert answer.status_code == 201
    assert answer.json()["file_name"].endswith(".txt")
    attachment = Attachment.objects.get()

    # when it is downloaded
    response = api(agent).get(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/")

    # then it is text under a .txt name, and stored as .txt
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].endswith('.txt"')
    assert attachment.file.name.endswith(".txt")
    assert attachment.original_name == name  # what the user called it, for the timeline


def test_a_text_file_is_packed_as_txt_and_linked_as_txt_from_the_summary(api, case, agent):
    # given a text file kept under an HTML name (before markup was refused, or plain text)
    upload(api, agent, case, "prefixed.html", b"Evidence of the delivery, signed by the doorman.\n")

    # when the evidence pack is downloaded
    response = api(agent).get(f"/api/v1/cases/{case.pk}/evidence-pack/")
    pack = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    # then no file in it would open in a browser
    assert "attachments/prefixed.txt" in pack.namelist()
    assert not [name for name in pack.namelist() if name.endswith((".html", ".htm", ".svg"))
                and name != "summary.html"]
    assert 'href="attachments/prefixed.txt"' in pack.read("summary.html").decode()


def test_a_photo_keeps_its_own_name_and_a_jpeg_may_be_called_jpeg(api, case, agent):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "JPEG")
    upload(api, agent, case, "IMG_1.JPEG", out.getvalue())

    assert Attachment.objects.get().file_name == "IMG_1.JPEG"


@pytest.mark.parametrize("action", [
    b"/J#61vaScript", b"/#4a#53", b"/L#61unch", b"/Embedded#46ile", b"/JavaScript", b"/Launch",
])
def test_a_pdf_whose_action_names_are_hex_escaped_is_refused(api, case, agent, action):
    pdf = b"%PDF-1.4\n1 0 obj << /OpenAction << /S " + action + b" /F (calc.exe) >> >> endobj\n%%EOF\n"

    response = upload(api, agent, case, "invoice.pdf", pdf)

    assert response.status_code == 400
    assert "PDF contains a program" in response.json()["detail"]
    assert not Attachment.objects.exists()


def test_a_pdf_whose_names_only_start_like_an_action_is_kept(api, case, agent):
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /JSONData (x) /Launcher 1 >> endobj\n%%EOF\n"

    assert upload(api, agent, case, "invoice.pdf", pdf).status_code == 201


def pdf_with_object_stream(objects: bytes, dictionary: bytes = b"/Type /ObjStm /N 1 /First 5",
                           data: bytes | None = None) -> bytes:
    """A PDF 1.5 whose dictionaries sit compressed in an object stream."""
    data = zlib.compress(b"3 0 " + objects) if data is None else data
    return (b"%PDF-1.5\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"4 0 obj << " + dictionary + b" /Filter /FlateDecode /Length "
            + str(len(data)).encode() + b" >>\nstream\n" + data + b"\nendstream\nendobj\n%%EOF\n")


@pytest.mark.parametrize("pdf", [
    pdf_with_object_stream(b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
    pdf_with_object_stream(b"<< /OpenAction << /S /L#61unch /F (calc.exe) >> >>"),
    pdf_with_object_stream(b"<< /S /JavaScript >>", dictionary=b"/Typ#65 /Obj#53tm /N 1 /First 5"),
    # an object stream that is not plain Flate data cannot be checked
    pdf_with_object_stream(b"", data=b"3C3C202F53202F4A617661536372697074203E3E>"),
])
def test_a_pdf_hiding_an_action_in_a_compressed_object_stream_is_refused(api, case, agent, pdf):
    response = upload(api, agent, case, "invoice.pdf", pdf)

    assert response.status_code == 400
    assert "PDF contains a program" in response.json()["detail"]


def test_a_pdf_with_harmless_object_streams_is_kept(api, case, agent):
    pdf = pdf_with_object_stream(b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>")

    assert upload(api, agent, case, "invoice.pdf", pdf).status_code == 201
