"""No admin list, in any ModelAdmin, names a shop or a person outside the viewer's own shops."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission

from cases.models import PhraseRule, WebhookEvent
from tests.factories import ShopFactory, UserFactory, open_case

HIDDEN_SHOP = "hidden-shop-q7"
HIDDEN_PERSON = "hidden-person-q7"


APPS = ("cases", "reviews", "notifications")  # the accounts' admin is for superusers only


def changelists() -> list[str]:
    return sorted(f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
                  for model, model_admin in admin.site._registry.items()
                  if model._meta.app_label in APPS and model_admin.list_filter)


@pytest.fixture
def another_shops_data(db):
    """A shop that is not the viewer's, with a person and a row in the lists that filter by shop."""
    hidden = ShopFactory(code=HIDDEN_SHOP, name="Hidden")
    person = UserFactory(username=HIDDEN_PERSON, role="supervisor", shops=[hidden], is_staff=True)
    open_case(hidden, by=person)
    PhraseRule.objects.create(shop=hidden, phrase="x", suggestion="y")
    WebhookEvent.objects.create(shop=hidden, status="refused")
    return hidden


@pytest.fixture
def viewer(shop, supervisor):
    """A supervisor who was given every view permission (the widest a supervisor can have)."""
    supervisor.user_permissions.add(*Permission.objects.filter(
        codename__startswith="view_", content_type__app_label__in=APPS))
    open_case(shop, by=supervisor)
    return supervisor


def test_every_admin_list_with_filters_is_checked():
    assert len(changelists()) >= 8


@pytest.mark.parametrize("url", changelists())
def test_a_list_filter_shows_only_the_viewers_shops_and_their_staff(
    client, viewer, another_shops_data, other_shop, url
):
    client.force_login(viewer)

    response = client.get(url)

    assert response.status_code in (200, 403)
    html = response.content.decode()
    assert HIDDEN_SHOP not in html
    assert HIDDEN_PERSON not in html


def test_the_shop_filter_still_offers_every_own_shop(client, viewer, another_shops_data):
    second = ShopFactory(code="second-own-q7")
    second.members.add(viewer)
    client.force_login(viewer)

    html = client.get("/admin/cases/case/").content.decode()

    assert "?shop__id__exact=" in html
    assert "second-own-q7" in html
    assert HIDDEN_SHOP not in html


def test_an_admin_filters_by_every_shop(client, admin, shop, another_shops_data):
    client.force_login(admin)

    assert HIDDEN_SHOP in client.get("/admin/cases/case/").content.decode()
