"""What an open page learns without a reload (pages/live.js asks every LIVE_POLL_SECONDS while the
tab is visible): the bell's unread count on every page; on the queue, the counts per tab and per
state, how many cases arrived in the tab since the page was drawn, and who now has the page's rows.

A fixed number of queries whatever the queue holds (tests/pages/test_live.py pins them), and an
ETag: an idle tab's answer is the same, so the browser is answered 304 with no body.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET

from cases import selectors
from cases.models import State
from cases.pages.queue import PAGE_SIZE, landing_tab
from cases.pages.queue_filters import (
    QueueFilter,
    shops_of,
    state_counts,
    supervises,
    tab_cases,
    tab_counts,
)
from config.service_errors import InvalidInput
from notifications import selectors as notifications

# How often an open page asks (seconds); tests shorten it with the setting.
DEFAULT_POLL_SECONDS = 20
# The most rows one question may ask about (a page shows PAGE_SIZE).
MOST_IDS = 2 * PAGE_SIZE


def poll_seconds() -> float:
    return float(getattr(settings, "LIVE_POLL_SECONDS", DEFAULT_POLL_SECONDS))


def bell(user: Any) -> dict[str, Any]:
    n = notifications.unread_count(user)
    return {"count": n, "label": ngettext("%(n)s unread", "%(n)s unread", n) % {"n": n}}


@require_GET
def live(request: HttpRequest) -> HttpResponse:
    """?queue=1 with the queue page's own parameters, `after` (the newest case id the page knew)
    and `ids` (its rows, comma-separated): the queue's news too. Without `queue`: the bell only."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": gettext("Log in again to see what changed.")}, status=401)
    answer: dict[str, Any] = {"unread": bell(request.user)}
    if request.GET.get("queue"):
        try:
            answer.update(queue_news(request))
        except InvalidInput as error:
            return JsonResponse({"detail": str(error.message), "errors": error.errors}, status=400)
    return with_etag(request, answer)


def queue_news(request: HttpRequest) -> dict[str, Any]:
    params = request.GET
    after, ids = _number(params.get("after", "0"), "after"), _ids(params.get("ids", ""))
    supervisor = supervises(request.user)
    tab = landing_tab(request, params, supervisor)
    form = QueueFilter(params, shops=shops_of(request.user))
    if not form.is_valid():
        raise InvalidInput({k: [str(e) for e in v] for k, v in form.errors.items()},
                           gettext("These filters cannot be read."))
    values = form.cleaned_data
    by_state = state_counts(tab_cases(request.user, tab, values), after=after)
    shown = [row for state, row in by_state.items()
             if not values.get("state") or state == values["state"]]
    new = sum(row["new"] for row in shown)
    return {
        "tabs": tab_counts(request.user, values, supervisor),
        "states": [{"state": s, "label": str(State(s).label), "n": by_state[s]["n"]}
                   for s in State.values if by_state.get(s, {}).get("n")],
        "new": {"count": new, "label": ngettext(
            "%(n)s new case — show", "%(n)s new cases — show", new) % {"n": new}},
        "rows": rows_now(request.user, ids),
    }


def rows_now(user: Any, ids: list[int]) -> list[dict[str, Any]]:
    """Who has each of the page's rows now, and its state (the cases this user may still read)."""
    if not ids:
        return []
    found = selectors.readable_by(user).filter(pk__in=ids).order_by("pk").values_list(
        "pk", "assignee__username", "state")
    return [{"id": pk, "assignee": name or "", "state": state,
             "taken": gettext("Taken by %(name)s") % {"name": name} if name else "",
             "closed": state == State.CLOSED} for pk, name, state in found]


def with_etag(request: HttpRequest, answer: dict[str, Any]) -> HttpResponse:
    body = json.dumps(answer, ensure_ascii=False, sort_keys=True).encode()
    etag = f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie, Accept-Language"
    return response


def _number(text: str, name: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise InvalidInput({name: [gettext("A case number is expected.")]},
                           gettext("These filters cannot be read."))
    return int(text)


def _ids(text: str) -> list[int]:
    parts = [part for part in text.split(",") if part]
    if len(parts) > MOST_IDS:
        raise InvalidInput({"ids": [gettext("Ask about at most %(n)s cases.") % {"n": MOST_IDS}]},
                           gettext("These filters cannot be read."))
    return [_number(part, "ids") for part in parts]

