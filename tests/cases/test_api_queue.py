"""The cases API: the queue, its filters and its order."""

from __future__ import annotations

import pytest

from cases.models import Kind
from tests.cases.cases_api import CASES, ids
from tests.factories import open_case, walk

# --- the queue --------------------------------------------------------------------------------------


@pytest.fixture
def queue(shop, other_shop, agent, teammate, admin):
    """A refund of the agent's, an unassigned non-delivery, a teammate's escalated item not as
    described, and a refund in another shop."""
    mine = walk(open_case(shop, by=agent), agent, "acknowledge")
    unassigned = open_case(shop, by=agent, kind=Kind.NON_DELIVERY)
    theirs = walk(open_case(shop, by=teammate, kind=Kind.NOT_AS_DESCRIBED), teammate, "escalate")
    elsewhere = open_case(other_shop, by=admin)
    return {"mine": mine.pk, "unassigned": unassigned.pk, "theirs": theirs.pk,
            "elsewhere": elsewhere.pk}


@pytest.mark.parametrize(("query", "expected"), [
    ("", {"mine", "unassigned", "theirs"}),
    ("?kind=refund", {"mine"}),
    ("?kind=refund&kind=not_as_described", {"mine", "theirs"}),
    ("?state=new", {"unassigned"}),
    ("?state=acknowledged&state=escalated", {"mine", "theirs"}),
    ("?state=closed", set()),
    ("?assignee=agent1", {"mine"}),
    ("?assignee=agent2", {"theirs"}),
    ("?assignee=none", {"unassigned"}),
    ("?assignee=me", set()),
    ("?assignee=nobody-by-that-name", set()),
    ("?shop=demo", {"mine", "unassigned", "theirs"}),
    ("?shop=elsewhere", set()),
    ("?shop=demo&kind=non_delivery&assignee=none", {"unassigned"}),
])
def test_the_supervisors_queue_filters_by_kind_state_assignee_and_shop(
    api, supervisor, queue, query, expected
):
    response = api(supervisor).get(CASES + query)

    assert ids(response) == {queue[name] for name in expected}


def test_an_agent_filters_their_own_cases_with_me(api, agent, queue):
    assert ids(api(agent).get(CASES + "?assignee=me")) == {queue["mine"]}
    assert ids(api(agent).get(CASES)) == {queue["mine"], queue["unassigned"]}


def test_an_admin_filters_by_another_shop(api, admin, queue):
    assert ids(api(admin).get(CASES + "?shop=elsewhere")) == {queue["elsewhere"]}
    assert ids(api(admin).get(CASES)) == set(queue.values())


def test_the_queue_is_paginated_newest_first(api, shop, agent):
    opened = [open_case(shop, by=agent).pk for _ in range(5)]

    first = api(agent).get(CASES + "?page_size=2")
    last = api(agent).get(CASES + "?page_size=2&page=3")

    assert first.status_code == 200
    assert first.json()["count"] == 5
    assert [row["id"] for row in first.json()["results"]] == opened[::-1][:2]
    assert first.json()["next"].endswith("page=2&page_size=2")
    assert first.json()["previous"] is None
    assert [row["id"] for row in last.json()["results"]] == opened[:1]
    assert last.json()["next"] is None


def test_a_page_past_the_end_is_not_found(api, shop, agent):
    open_case(shop, by=agent)

    response = api(agent).get(CASES + "?page=2")

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_the_queue_may_be_ordered_by_deadline(api, shop, agent):
    refund = open_case(shop, by=agent, kind=Kind.REFUND)  # resolution due in 72 hours
    parcel = open_case(shop, by=agent, kind=Kind.NON_DELIVERY)  # in 5 days

    soonest_first = api(agent).get(CASES + "?ordering=resolution_due_at")
    latest_first = api(agent).get(CASES + "?ordering=-resolution_due_at")

    assert [r["id"] for r in soonest_first.json()["results"]] == [refund.pk, parcel.pk]
    assert [r["id"] for r in latest_first.json()["results"]] == [parcel.pk, refund.pk]
