"""The shop's own system, as a real HTTP server that records every POST (outgoing webhooks and the
messages the connector carries), and the fixtures that send a case's changes to it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from cases import outgoing
from cases.models import OutgoingWebhook
from cases.tasks import deliver_outgoing_webhook

SECRET = "shop-outgoing-secret"
PII = ("王芳", "13800138000", "Room 1203, 88 Nanjing Road")
BUYER = {"handle": "buyer_out", **dict(zip(("name", "phone", "address"), PII, strict=True))}


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    """The shop's system: records every POST and answers with the next planned answer (200 when
    none is left): a status code, or ("sleep", seconds) before a 200."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of_type(self, type_: str) -> list[Received]:
        return [r for r in self.requests if r.event["type"] == type_]


def start_receiver(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with receiver.lock:
                receiver.requests.append(Received(dict(self.headers.items()), body))
                answer = receiver.answers.pop(0) if receiver.answers else 200
            if isinstance(answer, tuple):
                time.sleep(answer[1])
                answer = 200
            self.send_response(answer)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if answer < 300 else b"boom " * 300)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/disputedesk"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    server = start_receiver(receiver)
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url() -> str:
    """A URL where nothing listens (connection refused)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    return f"http://127.0.0.1:{port}/hooks"


def sends_to(shop: Any, url: str) -> Any:
    shop.outgoing_webhook_url = url
    shop.outgoing_webhook_secret = SECRET
    shop.save()
    return shop


@pytest.fixture
def worker(monkeypatch) -> list[tuple]:
    """The delivery task runs at once in this process when enqueued (as a worker would, later)."""
    enqueued: list[tuple] = []

    def run(args: tuple, **kwargs: Any) -> None:
        enqueued.append(args)
        deliver_outgoing_webhook(*args)

    monkeypatch.setattr(deliver_outgoing_webhook, "apply_async", run)
    return enqueued


@pytest.fixture
def no_worker(monkeypatch) -> list[tuple]:
    """The delivery task is enqueued but nothing runs it (only the sweep sends)."""
    enqueued: list[tuple] = []
    monkeypatch.setattr(deliver_outgoing_webhook, "apply_async",
                        lambda args, **kwargs: enqueued.append(args))
    return enqueued


def changes(case: Any) -> Any:
    return OutgoingWebhook.objects.filter(case=case, type=outgoing.STATE_CHANGED)
