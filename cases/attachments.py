"""Files attached to a case: checked by their content (never their name), images kept without metadata.
Keeping one is the service cases/services/attachments.py: attach_file.

Only photos (JPEG, PNG, WebP, GIF), PDFs and plain UTF-8 text are kept. Programs and scripts are
refused whatever they are called. Images are decoded in full and saved again, which drops their
EXIF (the GPS position of the buyer's home), comments and anything appended after the picture.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath
from struct import error as struct_error  # some damaged images fail Pillow's parsers so
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from cases import animation, pdf_actions
from config.service_errors import InvalidInput

# A 50-megapixel phone photo passes; a "decompression bomb" (a small file that decodes to gigabytes)
# does not. Counted over all frames of an animation.
MAX_IMAGE_PIXELS = 50_000_000
MAX_NAME_LENGTH = 255
WHAT_TO_SEND = _("Send a photo (JPEG, PNG, WebP or GIF), a PDF or a plain text file.")


@dataclass(frozen=True)
class FileType:
    name: str
    content_type: str
    extension: str
    image_formats: frozenset[str] = frozenset()  # Pillow's names for it; empty: not an image

    @property
    def is_image(self) -> bool:
        return bool(self.image_formats)


JPEG = FileType("JPEG", "image/jpeg", ".jpg", frozenset({"JPEG", "MPO"}))
PNG = FileType("PNG", "image/png", ".png", frozenset({"PNG"}))
WEBP = FileType("WebP", "image/webp", ".webp", frozenset({"WEBP"}))
GIF = FileType("GIF", "image/gif", ".gif", frozenset({"GIF"}))
PDF = FileType("PDF", "application/pdf", ".pdf")
TEXT = FileType("text", "text/plain", ".txt")
ACCEPTED_TYPES = (JPEG, PNG, WEBP, GIF, PDF, TEXT)

# Programs and scripts, by their first bytes: refused with their own reason, before the allow-list.
PROGRAM_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows program"),
    (b"\x7fELF", "Linux program"),
    (b"\xfe\xed\xfa\xce", "macOS program"),
    (b"\xfe\xed\xfa\xcf", "macOS program"),
    (b"\xce\xfa\xed\xfe", "macOS program"),
    (b"\xcf\xfa\xed\xfe", "macOS program"),
    (b"\xca\xfe\xba\xbe", "macOS or Java program"),
    (b"\x00asm", "WebAssembly program"),
    (b"#!", "script"),
)
# Scripts that are otherwise plain text, by how they start (after spaces, lower case).
SCRIPT_STARTS = ("@echo",)
# Markup anywhere in a text file: a tag (`<body onload…>`, `</p>`), a comment, a doctype or CDATA, a
# processing instruction (`<?php`, `<?xml`) or a server page (`<%`). A browser or an editor that
# guesses the type from the content would run it, so such "text" is refused wherever it starts.
MARKUP = re.compile(r"<(?:/?[a-z][a-z0-9:-]*(?:[\s/>]|$)|!--|!\[cdata\[|!doctype|\?|%)", re.IGNORECASE)
# Control characters plain text does not have (tab, line feed, form feed and return are fine).
BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def refuse(message: str | Promise) -> InvalidInput:
    return InvalidInput({"file": [str(message)]}, message)


def read_upload(upload: Any) -> bytes:
    """The upload's bytes, or InvalidInput when it is empty or larger than ATTACHMENT_MAX_BYTES."""
    limit = settings.ATTACHMENT_MAX_BYTES
    too_large = _("The file is larger than %(mb)s MB, the most a case keeps. Send a smaller file "
                  "(for a photo: a lower resolution or a screenshot).") % {"mb": f"{limit / 2**20:.3g}"}
    if upload is None:
        raise refuse(_("No file was sent. Send it in the multipart form field “file”."))
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise refuse(too_large)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise refuse(too_large)
    if not data:
        raise refuse(_("The file is empty. Check that it opens on your device, then send it again."))
    return data


# --- what the file is -----------------------------------------------------------------------------


def detect(data: bytes) -> FileType:
    """The file's type from its content; InvalidInput for programs, scripts and anything else."""
    for signature, what in PROGRAM_SIGNATURES:
        if data.startswith(signature):
            raise refuse(_("This file is a %(what)s. Programs and scripts are never kept, whatever "
                           "the file is called. %(send)s") % {"what": what, "send": WHAT_TO_SEND})
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if data.startswith(b"%PDF-"):
        if pdf_actions.runs_code(data):
            raise refuse(_("This PDF contains a program (JavaScript, an embedded file or a launch "
                           "action) and is not kept. Print it to a new PDF, or send a photo of it."))
        return PDF
    text = _as_text(data)
    if text is not None:
        if text.lstrip().lower().startswith(SCRIPT_STARTS):
            raise refuse(_("This file is a script or a web page. Programs and scripts are never "
                           "kept, whatever the file is called. %(send)s") % {"send": WHAT_TO_SEND})
        if MARKUP.search(text):
            raise refuse(_("This file contains web-page markup (a tag such as <script> or <body>) "
                           "that a browser would run, and is not kept whatever it is called. Remove "
                           "the tags and send it again. %(send)s") % {"send": WHAT_TO_SEND})
        return TEXT
    raise refuse(_("This kind of file is not kept. %(send)s") % {"send": WHAT_TO_SEND})


def _as_text(data: bytes) -> str | None:
    """The text of a plain UTF-8 file (a byte-order mark allowed); None when it is not one."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if BINARY_CONTROLS.search(text):
        return None
    return text


# --- images ---------------------------------------------------------------------------------------


def clean_image(data: bytes, kind: FileType) -> bytes:
    """Decode the image in full and save it again without metadata (EXIF, GPS, comments, XMP).

    The EXIF orientation is applied to the pixels first, so the photo still shows upright.
    """
    cannot_open = _("This image cannot be opened: it is damaged or not really a %(kind)s image. "
                    "Take a screenshot of it, or export it again, and send that.") % {"kind": kind.name}
    too_many_pixels = _("This image is too large (more than %(mp)s million pixels). Send it at a "
                        "lower resolution.") % {"mp": MAX_IMAGE_PIXELS // 1_000_000}
    max_frames = settings.ATTACHMENT_MAX_FRAMES
    too_many_frames = _("This animation has more than %(frames)s frames. Send a shorter clip, or a "
                        "screenshot of the moment that matters.") % {"frames": max_frames}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in kind.image_formats:
                    raise refuse(cannot_open)
                probe.verify()
            # Frames and pixels are counted before any frame is decoded.
            size = (animation.gif_size(data, max_frames=max_frames, max_pixels=MAX_IMAGE_PIXELS)
                    if kind is GIF else animation.declared_size(data, animated=kind in (PNG, WEBP)))
            if size.frames > max_frames:
                raise refuse(too_many_frames)
            if size.pixels > MAX_IMAGE_PIXELS:
                raise refuse(too_many_pixels)
            with Image.open(io.BytesIO(data)) as image:
                return _reencode(image, kind, max(size.frames, 1))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refuse(too_many_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError,
            TypeError, struct_error) as exc:
        raise refuse(cannot_open) from exc


def _reencode(image: Image.Image, kind: FileType, frames: int) -> bytes:
    out = io.BytesIO()
    icc_profile = image.info.get("icc_profile")  # colours, not personal data
    extra: dict[str, Any] = {"icc_profile": icc_profile} if icc_profile else {}
    if frames > 1:  # an animation: every frame, without the metadata
        pictures, durations = [], []
        # Never more frames than were counted (a decoder that finds more stops at the count).
        for frame in itertools.islice(ImageSequence.Iterator(image), frames):
            durations.append(frame.info.get("duration", 100))
            pictures.append(_bare(frame.convert("RGBA")))
        pictures[0].save(out, format=_save_format(kind), save_all=True, append_images=pictures[1:],
                         duration=durations, loop=image.info.get("loop", 0), **extra)
        return out.getvalue()
    image.load()
    upright = ImageOps.exif_transpose(image) or image
    if kind is JPEG and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    keep = {k: v for k, v in image.info.items() if k in ("transparency", "background")}
    picture = _bare(upright)
    picture.info.update(keep)
    options: dict[str, Any] = {"quality": 90} if kind in (JPEG, WEBP) else {}
    picture.save(out, format=_save_format(kind), **options, **extra)
    return out.getvalue()


def _bare(picture: Image.Image) -> Image.Image:
    """The pixels only: Pillow writes some of `info` (comments, EXIF) back when saving."""
    picture.info = {}
    return picture


def _save_format(kind: FileType) -> str:
    return "JPEG" if kind is JPEG else kind.name.upper()


# --- names ----------------------------------------------------------------------------------------


def clean_name(name: str, kind: FileType | None = None) -> str:
    """The name as the user knew it: the base name only, no control characters, at most 255 long."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = PurePosixPath(name.replace("\\", "/")).name
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    if not name:
        name = f"attachment{kind.extension if kind else ''}"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(suffix) - 1] + "." + suffix
        else:
            name = name[:MAX_NAME_LENGTH]
    return name
