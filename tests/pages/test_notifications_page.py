"""The notifications page: grouped by case, newest first, and "mark all read" (page and API)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from notifications.models import Notification, ReminderKind


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tell(user, case_id, minutes_ago, kind=ReminderKind.FOLLOW_UP_DUE):
    return Notification.objects.create(
        recipient=user, case_id=case_id, kind=kind, data={"case_id": case_id},
        created_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_notifications_are_grouped_by_case_the_newest_group_first_with_their_count(db, shop, agent):
    from tests.factories import open_case

    older, newer = open_case(shop, by=agent), open_case(shop, by=agent)
    tell(agent, older.pk, 50)
    tell(agent, older.pk, 5)
    tell(agent, newer.pk, 20)

    page = browser(agent).get("/notifications/").content.decode()

    assert page.count(f'<a href="/cases/{older.pk}/">') == 1
    assert page.index(f'<a href="/cases/{older.pk}/">') < page.index(f'<a href="/cases/{newer.pk}/">')
    assert "2 notifications · 2 unread" in page
    assert "1 notification · 1 unread" in page


@pytest.mark.parametrize("cases", [3, 20])
def test_the_page_costs_the_same_queries_for_3_cases_as_for_20(db, shop, agent, cases,
                                                              django_assert_num_queries):
    from tests.factories import open_case

    for n in range(cases):
        tell(agent, open_case(shop, by=agent).pk, n)
    client = browser(agent)
    client.get("/notifications/")

    # session, user, groups and shops in one query (the bell), the unread count, COUNT of groups, the groups,
    # their notifications
    with django_assert_num_queries(7):
        client.get("/notifications/")


def test_mark_all_read_on_the_page_reads_them_all_and_comes_back(db, shop, agent, teammate):
    from tests.factories import open_case

    case = open_case(shop, by=agent)
    tell(agent, case.pk, 3)
    tell(agent, case.pk, 2)
    theirs = tell(teammate, case.pk, 1)

    response = browser(agent).post("/notifications/read-all/")

    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert not Notification.objects.filter(recipient=agent, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_through_the_api_says_how_many(db, shop, agent, api):
    from tests.factories import open_case

    case = open_case(shop, by=agent)
    tell(agent, case.pk, 3)
    tell(agent, case.pk, 2)
    client = api(agent)

    response = client.post("/api/v1/notifications/read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 2, "unread_count": 0}


def test_mark_all_read_only_takes_a_post(db, agent):
    assert browser(agent).get("/notifications/read-all/").status_code == 405
