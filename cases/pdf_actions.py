"""Whether a PDF runs code when opened: JavaScript, a launch action or an embedded file.

A check of the PDF's dictionaries, not a sanitiser (downloads are served as attachments with
nosniff either way). Names are compared after their #xx escapes are decoded (`/J#61vaScript` is
`/JavaScript`, as every reader decodes it), in the file as written and in its compressed object
streams (PDF 1.5), where a dictionary naming an action may also sit. An object stream that cannot
be read as plain Flate data, or more of them than MAX_INFLATED bytes, cannot be checked: that PDF
counts as running code.
"""

from __future__ import annotations

import re
import zlib

ACTIONS = frozenset({b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles"})
# A name: a solidus and regular characters (PDF 32000-1, 7.3.5); delimiters and white space end it.
NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
NAME_ESCAPE = re.compile(rb"#([0-9a-fA-F]{2})")
STREAM = re.compile(rb"(?<!end)stream\r?\n")
OBJECT_HEADER = re.compile(rb"\d+\s+\d+\s+obj")
# How far back from `stream` its dictionary is looked for, and how much object-stream text is read.
DICTIONARY_REACH = 2048
MAX_INFLATED = 32 * 1024 * 1024


def runs_code(pdf: bytes) -> bool:
    if _names(pdf) & ACTIONS:
        return True
    budget = MAX_INFLATED
    for start in _object_stream_starts(pdf):
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(pdf[start:], budget + 1)
        except zlib.error:
            return True  # not plain Flate data (another filter, or damaged): cannot be checked
        budget -= len(text)
        if budget < 0 or _names(text) & ACTIONS:
            return True
    return False


def _names(data: bytes) -> set[bytes]:
    return {NAME_ESCAPE.sub(lambda m: bytes.fromhex(m[1].decode()), name)
            for name in NAME.findall(data)}


def _object_stream_starts(pdf: bytes) -> list[int]:
    """Where the data of each object stream (`/Type /ObjStm`) begins."""
    starts = []
    for match in STREAM.finditer(pdf):
        head = pdf[max(0, match.start() - DICTIONARY_REACH):match.start()]
        headers = list(OBJECT_HEADER.finditer(head))  # this stream's object starts at the last one
        dictionary = head[headers[-1].end():] if headers else head
        if b"ObjStm" in _names(dictionary):
            starts.append(match.end())
    return starts
