"""A marketplace webhook's body, read from the request with a bound on memory.

Up to `WEBHOOK_MAX_BYTES` it is taken whole. A larger one is still read (to a temporary file, for
the signature, which covers every byte) so that a genuine event that is too large can be refused
with the reason and kept, truncated, for inspection; one over ten times the limit is not read at all.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.http import HttpRequest

CHUNK = 64 * 1024
READ_AT_MOST = 10  # × WEBHOOK_MAX_BYTES: beyond that the body is refused unread
KEPT_BYTES = 100_000  # of a body too large, what is kept for inspection
# Not kept with the event: they would hand a session or a credential to whoever reads the admin.
UNKEPT_HEADERS = {"cookie", "authorization", "proxy-authorization"}


@dataclass
class Body:
    size: int
    head: bytes  # the whole body when it is within the limit, else its first KEPT_BYTES
    spool: IO[bytes] | None  # the whole body when it is over the limit (for the signature)
    limit: int

    @property
    def too_large(self) -> bool:
        return self.size > self.limit

    def chunks(self) -> Iterator[bytes]:
        if self.spool is None:
            yield self.head
            return
        self.spool.seek(0)
        while chunk := self.spool.read(CHUNK):
            yield chunk

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()


def declared_size(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def unreadable(request: HttpRequest, limit: int) -> bool:
    """Too large to read even for the signature: refused without reading it."""
    return declared_size(request) > limit * READ_AT_MOST


def read_body(request: HttpRequest, limit: int) -> Body:
    """The body, whole when at most `limit` bytes, else spooled (in memory up to `limit`, on disk
    beyond) with its first KEPT_BYTES at hand. Reads the stream itself: Django's `request.body`
    refuses anything over DATA_UPLOAD_MAX_MEMORY_SIZE before anyone can see who sent it."""
    spool = tempfile.SpooledTemporaryFile(max_size=limit)  # noqa: SIM115 (closed by Body.close)
    size = 0
    while chunk := request.read(CHUNK):
        spool.write(chunk)
        size += len(chunk)
    spool.seek(0)
    if size <= limit:
        whole = spool.read()
        spool.close()
        return Body(size=size, head=whole, spool=None, limit=limit)
    return Body(size=size, head=spool.read(KEPT_BYTES), spool=spool, limit=limit)


def kept_headers(request: HttpRequest) -> dict[str, str]:
    """The request's headers as kept with the event (no cookie or credential; 1,000 characters
    each at most, 50 headers at most)."""
    return {name: value[:1000] for name, value in list(request.headers.items())[:50]
            if name.lower() not in UNKEPT_HEADERS}
