"""An API token acts in its one shop: the inbox it reads and marks is about that shop's cases only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cases.services import create_api_token
from notifications.models import Notification
from tests.factories import UserFactory, open_case
from tests.notifications.test_notifications_api import INBOX, notify


@pytest.fixture
def in_both_shops(shop, other_shop):
    """A supervisor of both shops, whose token is for `shop` only."""
    return UserFactory(username="both", role="supervisor", shops=[shop, other_shop])


@pytest.fixture
def token_client(shop, in_both_shops, admin) -> APIClient:
    _token, raw = create_api_token(shop=shop, user=in_both_shops, name="ERP", by=admin)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def one_in_each_shop(shop, other_shop, in_both_shops, agent, outsider):
    here = notify(in_both_shops, open_case(shop, by=agent))
    elsewhere = notify(in_both_shops, open_case(other_shop, by=outsider))
    return here, elsewhere


def test_a_token_lists_only_the_notifications_about_its_shops_cases(token_client, one_in_each_shop):
    here, _elsewhere = one_in_each_shop

    body = token_client.get(INBOX).json()

    assert [n["id"] for n in body["results"]] == [here.pk]
    assert (body["count"], body["unread_count"]) == (1, 1)


def test_a_tokens_unread_count_counts_only_its_shop(token_client, one_in_each_shop):
    assert token_client.get(INBOX + "unread-count/").json() == {"unread_count": 1}


def test_read_all_with_a_token_leaves_the_other_shops_notifications_unread(
    token_client, one_in_each_shop
):
    here, elsewhere = one_in_each_shop

    response = token_client.post(INBOX + "read-all/")

    assert response.json() == {"marked": 1, "unread_count": 0}
    assert Notification.objects.get(pk=here.pk).read_at is not None
    assert Notification.objects.get(pk=elsewhere.pk).read_at is None


def test_a_token_cannot_mark_a_notification_about_another_shop_read(token_client, one_in_each_shop):
    _here, elsewhere = one_in_each_shop

    response = token_client.post(f"{INBOX}{elsewhere.pk}/read/")

    assert response.status_code == 404
    assert response.json()["detail"] == f"There is no notification {elsewhere.pk}."
    assert Notification.objects.get(pk=elsewhere.pk).read_at is None


def test_the_same_person_logged_in_still_sees_both_shops(in_both_shops, one_in_each_shop, api):
    assert api(in_both_shops).get(INBOX).json()["count"] == 2
