"""How many frames an animated image holds, counted before any frame is decoded.

A GIF does not say how many frames it has: Pillow finds out by walking the whole file, which takes
over a second for a 10 MB file of 420,000 one-pixel frames, and decoding them takes minutes. Here the
GIF's blocks are walked (GIF89a specification, sections 17-24) and the count stops as soon as it
passes the limit, so such a file is refused after reading a few kilobytes. APNG and WebP declare
their frame count in a header, which Pillow reads without decoding.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

GIF_EXTENSION = 0x21
GIF_IMAGE = 0x2C
GIF_TRAILER = 0x3B


@dataclass(frozen=True)
class Size:
    frames: int
    pixels: int  # what decoding every frame produces: each frame is drawn on the whole canvas


def gif_size(data: bytes, *, max_frames: int, max_pixels: int) -> Size:
    """The frames and decoded pixels of a GIF, counted until either passes its limit.

    Read as Pillow reads it: a frame drawn outside the canvas enlarges it for the frames after it,
    unknown bytes between blocks are skipped, the trailer or the end of the data ends it.
    """
    if len(data) < 13:
        return Size(0, 0)
    width, height = _u16(data, 6), _u16(data, 8)
    position = 13 + _colour_table_size(data[10])  # header, logical screen descriptor, global table
    frames = pixels = 0
    while position < len(data) and data[position] != GIF_TRAILER:
        block = data[position]
        if block == GIF_IMAGE:
            if position + 10 > len(data):
                break
            left, top = _u16(data, position + 1), _u16(data, position + 3)
            width = max(width, left + _u16(data, position + 5))
            height = max(height, top + _u16(data, position + 7))
            frames, pixels = frames + 1, pixels + width * height
            if frames > max_frames or pixels > max_pixels:
                break
            # Image descriptor (10 bytes), its own colour table, the LZW code size, then the data.
            position = _skip_sub_blocks(data, position + 10 + _colour_table_size(data[position + 9]) + 1)
        elif block == GIF_EXTENSION:
            position = _skip_sub_blocks(data, position + 2)  # introducer and label
        else:
            position += 1
    return Size(frames, pixels)


def declared_size(data: bytes, *, animated: bool) -> Size:
    """The frames an APNG or animated WebP declares in its header (1 for a still image), and pixels.

    `animated=False`: one frame whatever the file holds (a JPEG's second picture is not kept).
    """
    with Image.open(io.BytesIO(data)) as image:
        frames = getattr(image, "n_frames", 1) if animated else 1
        return Size(frames, image.width * image.height * frames)


def _u16(data: bytes, position: int) -> int:
    return int.from_bytes(data[position:position + 2], "little")


def _colour_table_size(packed: int) -> int:
    return 3 * 2 ** ((packed & 0x07) + 1) if packed & 0x80 else 0


def _skip_sub_blocks(data: bytes, position: int) -> int:
    """The position after a chain of sub-blocks (a length byte, that many bytes; 0 ends it)."""
    while position < len(data):
        size = data[position]
        position += 1 + size
        if size == 0:
            break
    return position
