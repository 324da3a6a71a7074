"""A ZIP written while it is sent: memory stays bounded by one chunk, whatever the files hold.

The standard library's zipfile writes to a stream it cannot seek by putting each member's sizes and
checksum after its data (a data descriptor), which every unzip tool reads. Each member is copied
from its open file a chunk at a time, and what the archive wrote so far is handed on at once.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO

log = logging.getLogger(__name__)

CHUNK = 256 * 1024


@dataclass(frozen=True)
class Member:
    name: str  # its path in the ZIP
    open: Callable[[], BinaryIO]  # opened when it is written, closed right after
    size: int
    compress: bool  # text compresses; photos and PDFs are compressed already and are stored as they are


class _Sink:
    """What the archive wrote since it was last taken. Not seekable, so zipfile streams."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        self.size = 0
        return data


def zip_chunks(members: Iterable[Member], date_time: tuple[int, int, int, int, int, int]
               ) -> Iterator[bytes]:
    """The ZIP of `members`, in chunks of about CHUNK bytes. A member whose file cannot be opened
    is left out (it went missing after the pack was listed) rather than breaking the download."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w") as archive:
        for member in members:
            try:
                source = member.open()
            except (FileNotFoundError, OSError, ValueError):
                log.warning("Left %s out of a ZIP: its file cannot be opened.", member.name)
                continue
            info = zipfile.ZipInfo(member.name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED if member.compress else zipfile.ZIP_STORED
            info.file_size = member.size
            with source, archive.open(info, "w") as target:
                for block in iter(partial(source.read, CHUNK), b""):
                    target.write(block)
                    if sink.size >= CHUNK:
                        yield sink.take()
            if sink.size:
                yield sink.take()
    yield sink.take()  # the central directory
