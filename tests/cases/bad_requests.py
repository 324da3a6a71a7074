"""What the bad-request tests share: the cases URL and posting a raw body."""

from __future__ import annotations

from typing import Any

CASES = "/api/v1/cases/"


def raw(client: Any, url: str, body: str) -> Any:
    return client.post(url, data=body, content_type="application/json")
