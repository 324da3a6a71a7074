"""API tokens: created by admins, stored hashed, shown once, scoped to a shop, revocable."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from cases.models import ApiToken, Case, token_digest
from cases.services import create_api_token, revoke_api_token
from tests.factories import UserFactory, case_payload, open_case

CASES = "/api/v1/cases/"


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def integration(shop, other_shop):
    """An integration account that is supervisor of both shops; its token is for `shop` only."""
    return UserFactory(username="erp", role="supervisor", shops=[shop, other_shop])


@pytest.fixture
def token(shop, integration, admin):
    return create_api_token(shop=shop, user=integration, name="ERP sync", by=admin)


def test_a_token_is_stored_as_its_digest_and_never_in_clear(token):
    stored, raw = token

    row = ApiToken.objects.get(pk=stored.pk)
    assert row.digest == token_digest(raw)
    assert raw not in {row.digest, row.prefix, row.name}
    assert row.prefix == raw[:8]
    assert len(raw) >= 40


def test_a_bearer_token_lists_and_opens_cases_of_its_shop(token, shop, agent):
    _stored, raw = token
    open_case(shop, by=agent, external_id="A-1")

    listed = bearer(raw).get(CASES)
    created = bearer(raw).post(CASES, case_payload(shop, external_id="ERP-7"), format="json")

    assert listed.status_code == 200
    assert [c["external_id"] for c in listed.json()["results"]] == ["A-1"]
    assert created.status_code == 201
    assert created.json()["timeline"][0]["actor"] == "erp"


def test_a_token_sees_nothing_of_another_shop_its_user_may_see(token, other_shop, outsider):
    _stored, raw = token
    elsewhere = open_case(other_shop, by=outsider, external_id="E-1")

    listed = bearer(raw).get(CASES)
    detail = bearer(raw).get(f"{CASES}{elsewhere.pk}/")
    opened = bearer(raw).post(CASES, case_payload(other_shop, external_id="E-2"), format="json")

    assert listed.json()["results"] == []
    assert detail.status_code == 404
    assert opened.status_code == 403
    assert not Case.objects.filter(external_id="E-2").exists()


def test_a_revoked_token_is_refused_with_401_and_says_what_to_do(token):
    stored, raw = token
    revoke_api_token(token_id=stored.pk)

    response = bearer(raw).get(CASES)

    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("header", [
    "Bearer not-a-token", "Bearer", "Bearer two parts", "Bearer \u00e9t\u00e9",
])
def test_unknown_or_malformed_bearer_headers_are_refused_with_401(db, header):
    response = APIClient().get(CASES, HTTP_AUTHORIZATION=header.encode().decode("latin-1"))

    assert response.status_code == 401
    assert response.json()["detail"]


def test_anonymous_api_requests_are_challenged_with_401(db):
    response = APIClient().get(CASES)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_token_of_an_inactive_user_is_refused(token, integration):
    _stored, raw = token
    integration.is_active = False
    integration.save()

    assert bearer(raw).get(CASES).status_code == 401


def test_no_token_for_a_superuser_or_a_user_outside_the_shop(shop, admin, outsider):
    from config.service_errors import InvalidInput

    with pytest.raises(InvalidInput):
        create_api_token(shop=shop, user=admin, name="too strong", by=admin)
    with pytest.raises(InvalidInput):
        create_api_token(shop=shop, user=outsider, name="wrong shop", by=admin)
    assert not ApiToken.objects.exists()


def test_the_last_use_is_recorded(token):
    stored, raw = token

    bearer(raw).get(CASES)

    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_admins_create_a_token_in_the_admin_and_see_it_once(admin, shop, integration):
    client = Client()
    client.force_login(admin)

    response = client.post("/admin/cases/apitoken/add/",
                           {"name": "Marketplace sync", "shop": shop.pk, "user": integration.pk},
                           follow=True)

    token = ApiToken.objects.get(name="Marketplace sync")
    shown = [str(m) for m in response.context["messages"] if "not shown again" in str(m)]
    assert len(shown) == 1
    raw = shown[0].split("is: ", 1)[1].split(" ", 1)[0]
    assert token.digest == token_digest(raw)
    assert bearer(raw).get(CASES).status_code == 200
    listing = client.get("/admin/cases/apitoken/").content.decode()
    assert raw not in listing


def test_admins_revoke_tokens_with_the_admin_action(admin, token):
    stored, raw = token
    client = Client()
    client.force_login(admin)

    client.post("/admin/cases/apitoken/", {"action": "revoke", "_selected_action": [stored.pk]})

    assert bearer(raw).get(CASES).status_code == 401


def test_supervisors_cannot_manage_tokens_in_the_admin(supervisor):
    client = Client()
    client.force_login(supervisor)

    assert client.get("/admin/cases/apitoken/").status_code == 403


def test_the_admin_refuses_a_token_for_a_user_outside_the_shop(admin, shop, outsider):
    client = Client()
    client.force_login(admin)

    response = client.post("/admin/cases/apitoken/add/",
                           {"name": "x", "shop": shop.pk, "user": outsider.pk})

    assert response.status_code == 200
    assert "not staff of the shop" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_command_prints_the_token_once(shop, integration, capsys):
    call_command("create_api_token", shop="demo", user="erp", name="cli")

    raw = capsys.readouterr().out.splitlines()[1]
    assert ApiToken.objects.get(name="cli").digest == token_digest(raw)
