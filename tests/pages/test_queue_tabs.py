"""The queue page: my cases most urgent first, the unassigned tab and claiming, search and filters,
counts across pages, the queries it costs, and the rows that turn amber."""

from __future__ import annotations

import pytest

from cases.models import Case, State
from tests.factories import open_case
from tests.pages.browsing import browser


def test_my_queue_shows_my_open_cases_most_urgent_first(db, shop, agent, teammate):
    later_case = open_case(shop, by=agent, kind="non_delivery")
    sooner = open_case(shop, by=agent)
    Case.objects.filter(pk__in=[later_case.pk, sooner.pk]).update(assignee=agent)
    theirs = open_case(shop, by=agent)
    Case.objects.filter(pk=theirs.pk).update(assignee=teammate)

    page = browser(agent).get("/").content.decode()

    assert page.index(f'href="/cases/{sooner.pk}/"') < page.index(f'href="/cases/{later_case.pk}/"')
    assert f'href="/cases/{theirs.pk}/"' not in page


def test_the_unassigned_tab_offers_a_claim_button(db, shop, agent):
    case = open_case(shop, by=None)

    page = browser(agent).get("/?tab=unassigned").content.decode()

    assert f'action="/cases/{case.pk}/claim/"' in page


def test_claiming_from_the_queue_makes_the_case_mine(db, shop, agent):
    case = open_case(shop, by=None)

    response = browser(agent).post(f"/cases/{case.pk}/claim/")

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).assignee == agent


def test_the_queue_searches_by_order_number_and_filters_by_kind(db, shop, agent):
    wanted = open_case(shop, by=agent)
    other = open_case(shop, by=agent, kind="non_delivery")
    client = browser(agent)

    by_order = client.get("/", {"tab": "all", "q": wanted.order.number}).content.decode()
    by_kind = client.get("/", {"tab": "all", "kind": "non_delivery"}).content.decode()

    assert f'href="/cases/{wanted.pk}/"' in by_order and f'href="/cases/{other.pk}/"' not in by_order
    assert f'href="/cases/{other.pk}/"' in by_kind and f'href="/cases/{wanted.pk}/"' not in by_kind


def test_a_bad_filter_is_answered_400_with_the_reason_beside_it(db, agent):
    response = browser(agent).get("/", {"state": "done"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_queue_counts_every_case_of_the_tab_across_pages_with_or_without_a_state(
    db, shop, agent
):
    # given 55 open cases of mine, 5 of them acknowledged, and one closed
    cases = [open_case(shop, by=agent) for _ in range(56)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(assignee=agent)
    Case.objects.filter(pk__in=[c.pk for c in cases[:5]]).update(state=State.ACKNOWLEDGED)
    Case.objects.filter(pk=cases[-1].pk).update(state=State.CLOSED)
    client = browser(agent)

    # then the total is the tab's, on every page (the counts per state add up to it)
    first, second = client.get("/"), client.get("/?page=2")
    assert "Page 1 of 2 (55 cases)" in first.content.decode()
    assert "Page 2 of 2 (55 cases)" in second.content.decode()
    assert second.content.decode().count('href="/cases/') == 5
    assert "Page 1 of 1 (5 cases)" in client.get("/?state=acknowledged").content.decode()
    assert "Page 1 of 2 (56 cases)" in client.get("/?tab=all").content.decode()
    assert "No cases here." in client.get("/?state=closed").content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_the_queue_costs_the_same_queries_for_3_or_30_rows(db, shop, agent, rows,
                                                          django_assert_max_num_queries):
    for _ in range(rows):
        open_case(shop, by=agent)
    client = browser(agent)

    # 10: the tabs' counts are one query of their own (they were not shown before the live queue)
    with django_assert_max_num_queries(10):
        response = client.get("/?tab=all")
    assert response.content.decode().count('href="/cases/') == rows


def test_a_row_turns_amber_within_the_shops_own_warning_lead(db, shop, agent):
    from datetime import timedelta

    from django.utils import timezone

    from cases.models import DeadlinePolicy

    DeadlinePolicy.objects.create(shop=shop, kind="refund", first_response=timedelta(hours=24),
                                  resolution=timedelta(days=3), warning_lead=timedelta(hours=12))
    case = open_case(shop, by=agent)
    Case.objects.filter(pk=case.pk).update(assignee=agent,
                                           next_due_at=timezone.now() + timedelta(hours=8))

    page = browser(agent).get("/").content.decode()

    assert '<tr class="soon">' in page
