"""Signing and checking webhook bodies: X-Signature: t=<unix seconds>,v1=<HMAC-SHA256 hex of
"<t>.<body>" with the shop's secret>. The marketplace's webhooks in (cases/webhooks.py) and the
case changes out (cases/outgoing.py) are signed the same way."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable

from django.utils.translation import gettext as _

from cases.webhook_body import Body

TOLERANCE_SECONDS = 300


def sign(secret: str, body: bytes, at: int | None = None) -> str:
    """The X-Signature header for a body (what the marketplace sends; send_test_webhook uses it)."""
    at = int(time.time()) if at is None else at
    return f"t={at},v1={_digest(secret, at, [body])}"


def _digest(secret: str, at: int, chunks: Iterable[bytes]) -> str:
    mac = hmac.new(secret.encode(), f"{at}.".encode(), hashlib.sha256)
    for chunk in chunks:
        mac.update(chunk)
    return mac.hexdigest()


def signature_problem(secret: str, header: str | None, body: bytes | Body,
                      now: float) -> str | None:
    if not header:
        return _("Sign the request: X-Signature: t=<unix seconds>,v1=<HMAC-SHA256 hex>.")
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        at = int(parts.get("t", ""))
    except ValueError:
        return _("The X-Signature header needs t=<unix seconds>.")
    if abs(now - at) > TOLERANCE_SECONDS:
        return _("The signature is more than 5 minutes old (or ahead); sign it again.")
    expected = _digest(secret, at, body.chunks() if isinstance(body, Body) else [body])
    if not hmac.compare_digest(expected, parts.get("v1", "")):
        return _("The signature does not match the body and the shop's secret.")
    return None
