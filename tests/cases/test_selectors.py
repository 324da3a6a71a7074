"""Reads (cases/selectors.py): one case loader and one queue filter for the pages and the API."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cases import selectors
from cases.models import Case
from config.service_errors import NotFound
from reviews.models import ReviewCase
from tests.factories import UserFactory, open_case
from tests.pages.browsing import browser
from tests.reviews.factories import open_review_case

CASES = "/api/v1/cases/"


def test_a_case_is_loaded_as_its_workflow_for_whoever_may_see_it(shop, agent, outsider):
    case = open_review_case(shop, agent)

    loaded = selectors.get_case_for_user(agent, case.pk)

    assert isinstance(loaded, ReviewCase) and loaded.pk == case.pk
    with pytest.raises(NotFound, match=re.escape(f"There is no case {case.pk}.")):
        selectors.get_case_for_user(outsider, case.pk)
    with pytest.raises(NotFound, match=re.escape("There is no case 424242.")):
        selectors.get_case_for_user(agent, 424242)


def test_the_case_page_and_the_api_load_a_case_through_the_same_selector(
        shop, agent, api, monkeypatch):
    case = open_case(shop, by=agent)
    loaded = []
    real = selectors.get_case_for_user
    monkeypatch.setattr(selectors, "get_case_for_user",
                        lambda user, pk: loaded.append(pk) or real(user, pk))

    page = browser(agent).get(f"/cases/{case.pk}/")
    answer = api(agent).get(f"{CASES}{case.pk}/")

    assert (page.status_code, answer.status_code) == (200, 200)
    assert loaded == [case.pk, case.pk]


def test_a_case_out_of_sight_is_not_found_on_the_page_and_in_the_api_alike(
        shop, other_shop, agent, outsider, api):
    case = open_case(shop, by=agent)

    page = browser(outsider).get(f"/cases/{case.pk}/")
    answer = api(outsider).get(f"{CASES}{case.pk}/")

    assert (page.status_code, answer.status_code) == (404, 404)
    assert answer.json() == {"detail": f"There is no case {case.pk}."}


@pytest.fixture
def boss(shop, other_shop):
    """A supervisor of both shops: sees every case below."""
    return UserFactory(username="boss", role="supervisor", shops=[shop, other_shop])


@pytest.fixture
def queue(shop, other_shop, agent, teammate):
    """Cases that differ in everything the filters look at."""
    cases = {
        "mine": open_case(shop, by=agent),
        "theirs": open_case(shop, by=teammate),
        "unassigned": open_case(shop, by=None, kind="non_delivery"),
        "review": open_review_case(shop, None),
        "elsewhere": open_case(other_shop, by=None),
    }
    Case.objects.filter(pk=cases["theirs"].pk).update(assignee=teammate)
    Case.objects.filter(pk=cases["mine"].pk).update(assignee=agent)
    Case.objects.filter(pk=cases["unassigned"].pk).update(
        next_due_at=timezone.now() + timedelta(minutes=30))
    return cases


def page_ids(user, **query) -> set[int]:
    page = browser(user).get("/", {"tab": "all", **query}).content.decode()
    assert "/cases/" in page
    return {int(n) for n in re.findall(r'href="/cases/(\d+)/"', page)}


def api_ids(api, user, **query) -> set[int]:
    return {row["id"] for row in api(user).get(CASES, query).json()["results"]}


@pytest.mark.parametrize("query", [
    {}, {"kind": "non_delivery"}, {"kind": "negative_review"}, {"state": "new"},
    {"shop": "demo"}, {"shop": "elsewhere"}, {"kind": "refund", "shop": "demo"},
])
def test_the_queue_page_and_the_api_list_the_same_cases_for_the_same_filters(
        queue, api, boss, query):
    assert page_ids(boss, **query) == api_ids(api, boss, **query)


def test_the_queue_page_and_the_api_filter_through_the_same_selector(
        queue, api, boss, monkeypatch):
    used = []
    real = selectors.filter_queue
    monkeypatch.setattr(selectors, "filter_queue",
                        lambda *args, **kwargs: used.append(kwargs) or real(*args, **kwargs))

    browser(boss).get("/", {"tab": "all", "kind": "refund"})
    on_page = used[:]
    used.clear()
    api(boss).get(CASES, {"kind": "refund"})

    # the page's rows and its tabs' counts (the supervisor's own cases, nobody's and someone
    # else's), each through the selector
    assert [call.get("kinds") for call in on_page] == [["refund"]] * 4
    assert [call.get("kinds") for call in used] == [["refund"]]


def test_the_unassigned_tab_and_assignee_none_are_the_same_open_cases(queue, api, boss):
    on_page = page_ids(boss, tab="unassigned")

    assert on_page == api_ids(api, boss, assignee="none")  # none of them is closed
    assert queue["mine"].pk not in on_page and queue["unassigned"].pk in on_page


def test_the_queue_search_finds_a_whole_order_number_buyer_or_marketplace_id_and_an_order_by_its_start(
        queue, boss):
    case = queue["mine"]
    every = selectors.visible_to(boss)

    for term in (case.order.number, case.customer.handle, case.external_id):
        assert list(selectors.filter_queue(every, boss, search=f" {term} ")) == [case]
    # an order number is found by its start, not by its middle (tests/cases/test_queue_search.py)
    assert case in selectors.filter_queue(every, boss, search=case.order.number[:-1])
    assert not selectors.filter_queue(every, boss, search=case.order.number[1:]).exists()
