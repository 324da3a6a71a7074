"""The queue's search (the page's box and the API's ?search=): what a person types finds the case."""

from __future__ import annotations

import pytest

from cases.models import Case
from tests.cases.cases_api import CASES, ids
from tests.factories import open_case


@pytest.fixture
def wanted(shop, agent):
    """A case of buyer 'tea_lover_88' (name 张晓明), order TB20261125001, marketplace id
    TM-7788-01, among others of the same shop."""
    for _ in range(3):
        open_case(shop, by=agent)
    return open_case(shop, by=agent, external_id="TM-7788-01",
                     order={"number": "TB20261125001", "paid_amount": "128.00"},
                     customer={"handle": "tea_lover_88", "name": "张晓明"})


@pytest.mark.parametrize("typed", [
    "lover",             # part of the handle
    "TEA_LOVER",         # in any case
    "晓明",              # part of the buyer's name
    "TB2026112500",      # the start of the order number
    "tb20261125001",     # the whole order number, in any case
    "TM-7788",           # the start of the marketplace id
    "TM-7788-01",        # the whole marketplace id
    "  lover  ",         # spaces around
])
def test_the_api_search_finds_the_case_by_what_a_person_types(api, agent, wanted, typed):
    assert ids(api(agent).get(CASES, {"search": typed})) == {wanted.pk}


def test_the_search_finds_a_case_by_its_number_with_or_without_a_hash(api, agent, wanted):
    assert wanted.pk in ids(api(agent).get(CASES, {"search": str(wanted.pk)}))
    assert ids(api(agent).get(CASES, {"search": f"#{wanted.pk}"})) == {wanted.pk}


def test_a_hash_and_a_number_is_the_case_number_only(api, agent, shop, wanted):
    # given a case whose order number starts with the other case's number
    other = open_case(shop, by=agent, order={"number": f"{wanted.pk}999", "paid_amount": "128.00"})

    assert ids(api(agent).get(CASES, {"search": f"#{wanted.pk}"})) == {wanted.pk}
    assert ids(api(agent).get(CASES, {"search": str(wanted.pk)})) == {wanted.pk, other.pk}


def test_the_search_never_finds_another_shops_case(api, agent, other_shop, admin):
    elsewhere = open_case(other_shop, by=admin, customer={"handle": "tea_lover_99"})

    assert ids(api(agent).get(CASES, {"search": "tea_lover"})) == set()
    assert ids(api(agent).get(CASES, {"search": f"#{elsewhere.pk}"})) == set()


def test_a_search_that_matches_nothing_finds_nothing(api, agent, wanted):
    assert ids(api(agent).get(CASES, {"search": "nobody-at-all"})) == set()


@pytest.mark.parametrize(("typed", "reason"), [
    ("", "Type part of a buyer's handle or name, a case number, an order number or a marketplace id."),
    ("   ", "Type part of a buyer's handle or name, a case number, an order number or a marketplace id."),
    ("#", "Type part of a buyer's handle or name, a case number, an order number or a marketplace id."),
    ("x" * 101, "Search for at most 100 characters."),
    ("tea\tlover", "Type letters, digits or signs only."),
])
def test_a_blank_too_long_or_unsearchable_search_is_a_400_with_the_reason(
    api, agent, wanted, typed, reason
):
    response = api(agent).get(CASES, {"search": typed})

    assert response.status_code == 400
    assert response.json() == {"search": [reason]}


def test_a_search_with_a_null_character_is_a_400_naming_the_search(api, agent, wanted):
    response = api(agent).get(CASES, {"search": "tea\x00lover"})

    assert response.status_code == 400 and list(response.json()) == ["search"]


def test_a_search_of_100_characters_is_answered(api, agent, wanted):
    assert ids(api(agent).get(CASES, {"search": "x" * 100})) == set()


def test_the_queue_page_finds_a_case_by_part_of_the_buyers_handle(client, agent, wanted):
    client.force_login(agent)

    page = client.get("/", {"tab": "all", "q": "lover"}).content.decode()

    assert f'href="/cases/{wanted.pk}/"' in page
    assert page.count('href="/cases/') == 1


def test_the_queue_page_says_what_is_wrong_with_a_too_long_search_and_shows_no_cases(
    client, agent, wanted
):
    client.force_login(agent)

    response = client.get("/", {"tab": "all", "q": "x" * 101})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Search for at most 100 characters." in page and 'href="/cases/' not in page


def test_the_queue_page_with_an_empty_search_box_shows_every_case(client, agent, wanted):
    client.force_login(agent)

    response = client.get("/", {"tab": "all", "q": ""})

    assert response.status_code == 200
    assert response.content.decode().count('href="/cases/') == Case.objects.count()


def test_the_queue_page_with_only_spaces_in_the_box_says_so_in_chinese(client, agent, wanted):
    client.force_login(agent)

    response = client.get("/", {"tab": "all", "q": "   "}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 400
    assert "请输入买家昵称或姓名的一部分" in response.content.decode()
