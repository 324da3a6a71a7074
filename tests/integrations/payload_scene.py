"""What the payload properties share: the hostile texts and payloads hypothesis draws, the scene every
example meets (rolled back after each), and the promise every answer keeps (never a 5xx; a 4xx says
why in JSON and leaves the database as it was; HTML accepted is stored as sent and shown escaped)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from cases.models import Case, Contact, Remedy, TimelineEvent
from tests.factories import (
    UserFactory,
    open_case,
    reach,
    reach_buyer,
    walk,
)
from tests.reviews.factories import open_review_case
from tests.snapshots import snapshot

CASES = "/api/v1/cases/"


SECRET = "payload-properties-secret"


SQL = "'; DROP TABLE cases_case; --"


HTML = "<script>alert(1)</script>"


ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


# The same searches on every run (derandomize), so CI never flakes on the search's luck; to hunt
# for new failures, HYPOTHESIS_EXPLORE=1 (random, and as many examples as HYPOTHESIS_EXAMPLES).
EXPLORE = os.environ.get("HYPOTHESIS_EXPLORE") == "1"


FUZZ = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "40")), deadline=None,
                derandomize=not EXPLORE,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# Texts a field may well accept: the hostile ones among them must come back stored and escaped.
texts = st.one_of(
    st.sampled_from([HTML, SQL, f"退款 {HTML} {SQL}", "买家很生气。"]),
    st.text(min_size=1, max_size=40),
)


amounts = st.one_of(
    st.sampled_from([1e30, -1e30, "1e30", "NaN", "Infinity", "-Infinity", -0.01, "-0.01", 0, "0",
                     "0.001", "12.345", "128.00", "30.00", "128.01", "9" * 40, 10**20]),
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False).map(str),
    st.floats(allow_nan=False, allow_infinity=False),
)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    amounts,
    st.sampled_from(["", " ", SQL, HTML, "x" * 100_000, "\x00", "not_a_choice", "DROP", "2026-13-45",
                     "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+14:00", "1970-01-01",
                     "agent2", "admin", "好评", "9" * 400]),
    st.text(max_size=30),
)


# Anything JSON can say: wrong types, lists, objects, nested a few levels deep.
anything = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8,
)


def deeply_nested(depth: int) -> Any:
    value: Any = "bottom"
    for level in range(depth):
        value = [value] if level % 2 else {"x": value}
    return value


@st.composite
def mutated(draw: Any, good: dict[str, Any]) -> Any:
    """A payload made from a good one: fields swapped for anything, dropped, or unknown ones added;
    now and then not an object at all."""
    how = draw(st.integers(0, 11))
    if how == 0:
        return draw(st.one_of(anything, st.just(deeply_nested(draw(st.integers(20, 200))))))
    if how <= 3:
        return good  # as it should be, but for its texts
    payload = {}
    for key, value in good.items():
        choice = draw(st.sampled_from(["keep", "keep", "keep", "keep", "swap", "drop"]))
        if choice == "keep":
            payload[key] = value
        elif choice == "swap":
            payload[key] = draw(anything)
    payload.update(draw(st.dictionaries(st.sampled_from(["id", "state", "assignee", "shop", "kind",
                                                         "__proto__", "pk", "to", "amount"]),
                                        anything, max_size=2)))
    return payload


def mostly(value: Any, wild: Any) -> Any:
    """The value two times in three, else something wild."""
    return st.one_of(st.just(value), st.just(value), wild)


def good(**fields: Any) -> Any:
    """A strategy for a valid-looking payload: each value a strategy or a constant."""
    return st.fixed_dictionaries({k: v if isinstance(v, st.SearchStrategy) else st.just(v)
                                  for k, v in fields.items()})


def payloads(**fields: Any) -> Any:
    return good(**fields).flatmap(mutated)


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def encoded(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8", "surrogatepass")


def html_texts(payload: Any, fields: tuple[str, ...]) -> list[str]:
    """The texts with HTML in them sent in the fields the case page shows."""
    if not isinstance(payload, dict):
        return []
    return [payload[f] for f in fields if isinstance(payload.get(f), str) and HTML in payload[f]]


def stored_texts(case_id: int) -> list[str]:
    case = Case.objects.get(pk=case_id)
    found = [case.description, case.core_problem]
    found += list(Contact.objects.filter(case_id=case_id).values_list("body", flat=True))
    for data in TimelineEvent.objects.filter(case_id=case_id).values_list("data", flat=True):
        found += [v for v in (data or {}).values() if isinstance(v, str)]
    return found


def assert_the_answer_keeps_its_promises(
    response: Any, before: dict[str, Any], *, viewer: Any, case_id: int | None,
    sent: Any = None, shown: tuple[str, ...] = (),
) -> None:
    assert response.status_code < 500, response.content[:500]
    event(f"answered {response.status_code}")  # --hypothesis-show-statistics: what was reached
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body, dict), body
        assert isinstance(body.get("detail"), str) and body["detail"].strip(), body
        assert snapshot() == before
        return
    if case_id is None:
        return
    hostile = html_texts(sent, shown)
    if hostile:
        event("accepted HTML, checked stored and escaped")
        stored = stored_texts(case_id)
        for text in hostile:
            assert text.strip() in stored
        page = Client()
        page.force_login(viewer)
        html = page.get(f"/cases/{case_id}/").content.decode()
        assert HTML not in html
        assert ESCAPED in html


@pytest.fixture
def secret_shop(shop):
    shop.webhook_secret = SECRET
    shop.save()
    return shop


@pytest.fixture
def scene(secret_shop, agent, teammate, supervisor, outsider, admin):
    UserFactory(username="agent3", role="agent", shops=[secret_shop])
    return {"shop": secret_shop, "agent": agent, "supervisor": supervisor}


@pytest.fixture
def once():
    """once(make) → make()'s result, made on the first example only (hypothesis runs the test's
    body for every example, the fixtures once)."""
    made: dict[str, Any] = {}

    def get(make: Callable[[], Any]) -> Any:
        if "it" not in made:
            made["it"] = make()
        return made["it"]

    return get


def dispute_at(kind: str, *steps: str, close_after: bool = False) -> Callable[[Any], Case]:
    def build(scene: dict[str, Any]) -> Case:
        case = walk(open_case(scene["shop"], by=scene["agent"], kind=kind), scene["agent"], *steps)
        if close_after:
            reach_buyer(case, scene["agent"])
        return case
    return build


def review_at(*steps: str, reached: bool = False) -> Callable[[Any], Case]:
    def build(scene: dict[str, Any]) -> Case:
        case = open_review_case(scene["shop"], by=scene["agent"])
        if reached:
            reach(case, scene["agent"])
        return walk(case, scene["agent"], *steps) if steps else case
    return build


USERNAMES = st.sampled_from(["agent2", "agent3", "agent1", "outsider", "admin", "supervisor1",
                             "nobody", SQL, HTML, ""])


REMEDIES = st.sampled_from([*Remedy.values, "teleport", ""])


REASON = ("reason",)
