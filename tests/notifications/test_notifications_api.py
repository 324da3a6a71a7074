"""The in-app inbox: each person's own notifications, the unread count, marking them read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from tests.factories import open_case

INBOX = "/api/v1/notifications/"


def notify(user, case=None, *, minutes_ago: int = 0, read: bool = False,
           kind: str = "deadline_warning") -> Notification:
    now = timezone.now()
    return Notification.objects.create(
        recipient=user, case=case, kind=kind, created_at=now - timedelta(minutes=minutes_ago),
        read_at=now if read else None,
        data={"case_id": case.pk if case else None, "deadline": "resolution",
              "deadline_at": (now + timedelta(hours=4)).isoformat(), "due_at": now.isoformat(),
              "time_zone": "Asia/Shanghai"},
    )


def test_a_person_sees_only_their_own_notifications_newest_first(db, shop, agent, teammate, api):
    case = open_case(shop, by=agent)
    older = notify(agent, case, minutes_ago=10)
    newer = notify(agent, case, minutes_ago=1, read=True)
    notify(teammate, case)

    body = api(agent).get(INBOX).json()

    assert [n["id"] for n in body["results"]] == [newer.pk, older.pk]
    assert body["count"] == 2
    assert body["unread_count"] == 1
    first = body["results"][0]
    assert first["case"] == case.pk
    assert first["read"] is True
    assert first["title"].startswith(f"Case #{case.pk}: resolution due at ")
    assert first["body"].startswith("The resolution deadline of this case is near.")


def test_each_item_carries_its_texts_data_and_read_state(db, agent, api):
    notification = notify(agent)

    item = api(agent).get(INBOX).json()["results"][0]

    assert set(item) == {"id", "kind", "case", "title", "body", "data", "created_at", "read_at",
                         "read"}
    assert item["id"] == notification.pk
    assert item["kind"] == "deadline_warning"
    assert item["case"] is None
    assert item["data"] == notification.data
    assert item["read_at"] is None
    assert item["read"] is False


def test_the_inbox_speaks_the_readers_language(db, shop, agent, api):
    case = open_case(shop, by=agent)
    notify(agent, case)

    body = api(agent).get(INBOX, HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    assert body["results"][0]["title"].startswith(f"案件 #{case.pk}")


def test_the_inbox_filters_unread_and_read(db, shop, agent, api):
    unread = notify(agent)
    read = notify(agent, read=True)

    assert [n["id"] for n in api(agent).get(INBOX + "?unread=1").json()["results"]] == [unread.pk]
    assert [n["id"] for n in api(agent).get(INBOX + "?unread=0").json()["results"]] == [read.pk]


def test_an_unread_filter_that_is_neither_yes_nor_no_is_answered_400(db, agent, api):
    response = api(agent).get(INBOX + "?unread=maybe")

    assert response.status_code == 400
    assert "unread=1" in response.json()["unread"][0]


def test_an_unread_filter_left_empty_filters_nothing(db, agent, api):
    notify(agent)
    notify(agent, read=True)

    assert api(agent).get(INBOX + "?unread=").json()["count"] == 2


def test_the_inbox_comes_in_pages_of_50_and_a_page_size_of_at_most_200(db, agent, api):
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(recipient=agent, kind="follow_up_due", data={"case_id": None},
                     created_at=now - timedelta(seconds=i))
        for i in range(205)
    )
    client = api(agent)

    default = client.get(INBOX).json()
    small = client.get(INBOX + "?page_size=2&page=2").json()
    capped = client.get(INBOX + "?page_size=500").json()

    assert (default["count"], len(default["results"]), default["unread_count"]) == (205, 50, 205)
    assert len(small["results"]) == 2
    assert small["previous"] is not None and small["next"] is not None
    assert len(capped["results"]) == 200


@pytest.mark.parametrize("page", ["abc", "99"])
def test_a_page_that_is_not_a_number_or_past_the_end_is_not_found(db, agent, api, page):
    notify(agent)

    response = api(agent).get(f"{INBOX}?page={page}")

    assert response.status_code == 404
    assert response.json()["detail"] == "Invalid page."


def test_the_bell_shows_the_unread_count(db, agent, teammate, api):
    notify(agent)
    notify(agent)
    notify(agent, read=True)
    notify(teammate)

    assert api(agent).get(INBOX + "unread-count/").json() == {"unread_count": 2}


def test_marking_a_notification_read_is_idempotent(db, agent, api):
    notification = notify(agent)

    first = api(agent).post(f"{INBOX}{notification.pk}/read/")
    read_at = Notification.objects.get(pk=notification.pk).read_at
    second = api(agent).post(f"{INBOX}{notification.pk}/read/")

    assert first.status_code == second.status_code == 200
    assert first.json()["read"] is True
    assert second.json()["read_at"] == first.json()["read_at"]
    assert Notification.objects.get(pk=notification.pk).read_at == read_at


@pytest.mark.parametrize("target", ["someone_elses", "missing"])
def test_nobody_marks_a_notification_that_is_not_theirs(db, agent, teammate, api, target):
    theirs = notify(teammate)
    pk = theirs.pk if target == "someone_elses" else theirs.pk + 1000

    response = api(agent).post(f"{INBOX}{pk}/read/")

    assert response.status_code == 404
    assert response.json()["detail"] == f"There is no notification {pk}."
    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.parametrize("pk", ["abc", "-1", "9" * 19])
def test_an_id_that_is_not_a_number_or_too_long_is_not_found(db, agent, api, pk):
    assert api(agent).post(f"{INBOX}{pk}/read/").status_code == 404


def test_read_all_marks_only_the_persons_own(db, agent, teammate, api):
    notify(agent)
    notify(agent)
    notify(teammate)

    response = api(agent).post(INBOX + "read-all/")

    assert response.json() == {"marked": 2, "unread_count": 0}
    assert Notification.objects.filter(recipient=teammate, read_at__isnull=True).count() == 1


@pytest.mark.parametrize(("method", "path"), [
    ("get", ""), ("get", "unread-count/"), ("post", "read-all/"), ("post", "1/read/"),
])
def test_anonymous_requests_are_refused(db, api, method, path):
    assert getattr(api(None), method)(INBOX + path).status_code == 401


@pytest.mark.parametrize("rows", [3, 30])
def test_the_inbox_costs_the_same_queries_for_3_or_30_notifications(
    db, shop, agent, api, django_assert_max_num_queries, rows
):
    case = open_case(shop, by=agent)
    for minutes in range(rows):
        notify(agent, case, minutes_ago=minutes)
    client = api(agent)

    with django_assert_max_num_queries(3):  # count, page, unread count
        assert len(client.get(INBOX).json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_unread_count_and_marking_all_read_cost_one_query_each_for_3_or_30(
    db, agent, api, django_assert_max_num_queries, rows
):
    for minutes in range(rows):
        notify(agent, minutes_ago=minutes)
    client = api(agent)

    with django_assert_max_num_queries(1):
        assert client.get(INBOX + "unread-count/").json() == {"unread_count": rows}
    with django_assert_max_num_queries(1):
        assert client.post(INBOX + "read-all/").json() == {"marked": rows, "unread_count": 0}
