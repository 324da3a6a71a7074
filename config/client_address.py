"""The client's address, behind as many trusted proxies as TRUSTED_PROXY_HOPS says.

Every limit keyed on an address (log-in attempts, unknown API tokens, anonymous API requests) reads
REMOTE_ADDR. Behind a proxy REMOTE_ADDR is the proxy, and every user would share one address; the
proxy puts the client's address in X-Forwarded-For instead. Each proxy *appends* the address it
received the request from, so with N trusted proxies in front of the app the client is the N-th entry
from the right: anything to the left of it was written by the client and is not trusted.

TRUSTED_PROXY_HOPS = 0 (the default): X-Forwarded-For is ignored. The app's port must then be
reachable only through those proxies (otherwise a client could send the header itself).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def client_address(forwarded_for: str | None, remote_addr: str, hops: int) -> str:
    """The client's address given the X-Forwarded-For header, the peer's address and trusted hops."""
    if hops <= 0 or not forwarded_for:
        return remote_addr
    entries = [entry.strip() for entry in forwarded_for.split(",")]
    if len(entries) < hops:
        # The request did not come through every trusted proxy: only the peer is known.
        return remote_addr
    candidate = entries[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr


class TrustedProxyMiddleware:
    """Sets REMOTE_ADDR to the client's address (first in MIDDLEWARE, before anything reads it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        hops = settings.TRUSTED_PROXY_HOPS
        if hops:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("HTTP_X_FORWARDED_FOR"), request.META.get("REMOTE_ADDR", ""), hops)
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str:
    """The address every limit keys on (django-axes's AXES_CLIENT_IP_CALLABLE too)."""
    return request.META.get("REMOTE_ADDR", "")
