"""What an open queue costs while it waits: the answer live.js asks for every LIVE_POLL_SECONDS
(cases/pages/live.py), for the agent's own tab with the page's 50 rows, and the bell alone (every
other page). Both are a fixed number of queries; an unchanged answer is a 304 with no body."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from benchmarks.measuring import Figure, measure


def live_figures(pages: Client, runs: int) -> list[Figure]:
    """The live answer as the agent's open queue asks for it (the page drawn once for its `after`
    and rows), then as any other page asks for it."""
    page = pages.get("/").content.decode()
    after = re.search(r'data-after="(\d+)"', page).group(1)
    ids = re.search(r'data-ids="([\d,]*)"', page).group(1)
    queue_url = f"/live/?queue=1&tab=mine&after={after}&ids={ids}"
    return [
        measure("live answer, queue (mine, its 50 rows)", lambda: _ok(pages.get(queue_url)),
                runs=runs),
        measure("live answer, the bell alone (any other page)", lambda: _ok(pages.get("/live/")),
                runs=runs),
    ]


def _ok(response: Any) -> Any:
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code}: {response.content[:200]!r}")
    return response
