"""gunicorn's sync worker, answering in JSON on API paths when it stops a request at its timeout.

When a request runs past `--timeout`, gunicorn's arbiter aborts the worker: the request is ended
by a SystemExit, and the stock worker writes its own HTML "Internal Server Error" page. An API client
should get what every other API error is: JSON with the reason. Pages keep gunicorn's answer.
"""

from __future__ import annotations

import json
import socket
from typing import Any

from gunicorn.workers.sync import SyncWorker

API_PREFIX = "/api/"


def timeout_answer(seconds: int) -> bytes:
    """The whole HTTP answer to an API request stopped at the timeout (in the request's language)."""
    from django.utils.translation import ngettext

    detail = ngettext(
        "This request took longer than %(seconds)s second and was stopped. Try again in a moment, "
        "or with less at once; if it happens again, tell the shop's admin.",
        "This request took longer than %(seconds)s seconds and was stopped. Try again in a moment, "
        "or with less at once; if it happens again, tell the shop's admin.",
        seconds) % {"seconds": seconds}
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    head = ("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


class JsonTimeoutWorker(SyncWorker):
    def handle_error(self, req: Any, client: socket.socket, addr: Any, exc: BaseException) -> None:
        path = getattr(req, "path", "") or ""
        if not (isinstance(exc, SystemExit) and path.startswith(API_PREFIX)):
            super().handle_error(req, client, addr, exc)
            return
        self.log.error("Request stopped at the %ss timeout: %s %s", self.cfg.timeout, req.method,
                       path)
        try:
            client.sendall(timeout_answer(self.cfg.timeout))
        except OSError:
            self.log.debug("The client was gone before the timeout answer.")
