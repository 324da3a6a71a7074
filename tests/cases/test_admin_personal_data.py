"""No admin list filters, searches or sorts by a buyer's personal data (name, phone, address):
a list narrowed by `?phone__startswith=139` would give a phone away digit by digit, unlogged."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory

from cases.pii import PersonalDataField, personal_data_in
from tests.factories import open_case

BUYER = {"handle": "tb_wangfang", "name": "王芳", "phone": "13900139000",
         "address": "浙江省杭州市西湖区文三路 1 号"}


def personal_data_paths(model: type[models.Model], hops: int = 2, prefix: str = "") -> Iterator[str]:
    """Every lookup from `model` to a personal-data field, through at most `hops` relations."""
    for field in model._meta.get_fields():
        if isinstance(field, PersonalDataField):
            yield f"{prefix}{field.name}"
        elif field.is_relation and field.related_model is not None and hops > 0:
            yield from personal_data_paths(field.related_model, hops - 1,
                                           f"{prefix}{field.name}__")


REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def test_every_model_with_a_buyers_details_has_them_as_personal_data():
    from cases.models import Case, Customer

    assert {f.name for f in Customer._meta.fields if isinstance(f, PersonalDataField)} == {
        "name", "phone", "address"}
    assert {f.name for f in Case._meta.fields if isinstance(f, PersonalDataField)} == {
        "buyer_name", "buyer_phone", "buyer_address"}


@pytest.mark.parametrize("model, model_admin", REGISTERED, ids=lambda v: getattr(v, "label", ""))
def test_every_admin_refuses_lookups_through_personal_data(admin, model, model_admin):
    request = RequestFactory().get("/")
    request.user = admin
    paths = list(personal_data_paths(model))

    allowed = [path for path in paths for lookup in ("", "__startswith", "__contains", "__exact")
               if model_admin.lookup_allowed(f"{path}{lookup}", "1", request)]

    assert allowed == []


@pytest.mark.parametrize("model, model_admin", REGISTERED, ids=lambda v: getattr(v, "label", ""))
def test_no_admin_list_shows_filters_searches_or_sorts_by_personal_data(admin, model, model_admin):
    request = RequestFactory().get("/")
    request.user = admin
    names = [
        *[n for n in model_admin.get_list_display(request) if isinstance(n, str)],
        *[f if isinstance(f, str) else f[0] for f in model_admin.get_list_filter(request)
          if isinstance(f, str | tuple | list)],
        *[n.lstrip("^=@") for n in model_admin.get_search_fields(request)],
        *[n.lstrip("-") for n in model_admin.get_ordering(request) if isinstance(n, str)],
        *[n for n in (model_admin.get_sortable_by(request) or ()) if isinstance(n, str)],
        model_admin.date_hierarchy or "",
    ]

    assert [n for n in names if n and personal_data_in(model, n)] == []


@pytest.mark.parametrize("url", [
    "/admin/cases/customer/?phone__startswith=139",
    "/admin/cases/customer/?phone=13900139000",
    "/admin/cases/customer/?address__contains=文三路",
    "/admin/cases/customer/?name__startswith=王",
    "/admin/cases/case/?buyer_phone__startswith=139",
    "/admin/cases/case/?customer__phone__startswith=139",
    "/admin/cases/timelineevent/?case__buyer_phone__startswith=139",
])
def test_a_supervisor_cannot_narrow_a_list_by_a_buyers_details(client, shop, agent, supervisor, url):
    open_case(shop, by=agent, customer=BUYER)
    client.force_login(supervisor)

    response = client.get(url)

    assert response.status_code == 400
    # (the page's random CSRF tokens are not the buyer's digits)
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    assert "139" not in page


def test_the_buyer_list_still_filters_by_what_is_not_personal_data(client, shop, agent, supervisor):
    open_case(shop, by=agent, customer=BUYER)
    client.force_login(supervisor)

    response = client.get("/admin/cases/customer/?do_not_contact__exact=0&q=tb_wang")

    assert response.status_code == 200
    assert "tb_wangfang" in response.content.decode()


def test_the_buyer_form_shows_the_name_but_never_edits_it_nor_the_phone_or_address(
    client, shop, agent, supervisor
):
    case = open_case(shop, by=agent, customer=BUYER)
    client.force_login(supervisor)

    page = client.get(f"/admin/cases/customer/{case.customer_id}/change/").content.decode()

    assert "王芳" in page and 'name="name"' not in page
    assert "13900139000" not in page and "文三路" not in page
