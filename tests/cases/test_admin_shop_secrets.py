"""The shop's webhook secrets are write-only in the admin: set, generated (shown once) or removed,
never shown again, to admins or supervisors."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages

from cases.models import Shop

SECRET = "marketplace-secret-0123456789"
OUTGOING = "outgoing-secret-9876543210"


def shop_url(shop: Shop) -> str:
    return f"/admin/cases/shop/{shop.pk}/change/"


def form(shop: Shop, **changes: str) -> dict[str, Any]:
    """What the browser sends from the shop's change page, with `changes` on top."""
    data = {
        "code": shop.code, "name": shop.name, "time_zone": shop.time_zone, "platform": "",
        "reopen_window_days": "15", "outgoing_webhook_url": "", "max_outbound_attempts": "3",
        "attempt_window_days": "7", "quiet_hours_start": "22:00", "quiet_hours_end": "08:00",
        "webhook_secret_change": "keep", "outgoing_webhook_secret_change": "keep",
        "survey_again_after_days": "30",  # the page's field, filled with its default
    }
    for prefix in ("deadline_policies", "holidays"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return {**data, **changes}


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def shop_with_secrets(shop):
    Shop.objects.filter(pk=shop.pk).update(webhook_secret=SECRET, outgoing_webhook_secret=OUTGOING)
    shop.refresh_from_db()
    return shop


@pytest.mark.parametrize("persona", ["admin", "supervisor"])
def test_nobody_reads_a_shops_webhook_secrets_back_from_the_admin(
    request, client, shop_with_secrets, persona
):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(shop_url(shop_with_secrets))

    assert page.status_code == 200
    html = page.content.decode()
    assert SECRET not in html
    assert OUTGOING not in html
    assert "Set (hidden" in html


def test_a_supervisor_sees_no_input_for_the_secrets(client, shop_with_secrets, supervisor):
    client.force_login(supervisor)

    html = client.get(shop_url(shop_with_secrets)).content.decode()

    assert 'name="webhook_secret_new"' not in html


def test_saving_the_shop_keeps_its_secrets_when_none_is_typed(client, shop_with_secrets, admin):
    client.force_login(admin)

    response = client.post(shop_url(shop_with_secrets), form(shop_with_secrets, name="Renamed"))

    assert response.status_code == 302
    shop_with_secrets.refresh_from_db()
    assert (shop_with_secrets.name, shop_with_secrets.webhook_secret,
            shop_with_secrets.outgoing_webhook_secret) == ("Renamed", SECRET, OUTGOING)


def test_a_generated_secret_is_shown_once_and_then_never_again(client, shop_with_secrets, admin):
    client.force_login(admin)

    saved = client.post(shop_url(shop_with_secrets),
                        form(shop_with_secrets, webhook_secret_change="generate"), follow=True)

    shop_with_secrets.refresh_from_db()
    new = shop_with_secrets.webhook_secret
    assert new != SECRET
    assert len(new) >= 40
    assert any(new in m for m in messages_of(saved))
    assert new not in client.get(shop_url(shop_with_secrets)).content.decode()
    assert shop_with_secrets.outgoing_webhook_secret == OUTGOING


def test_a_typed_secret_replaces_the_old_one_and_is_not_shown(client, shop_with_secrets, admin):
    client.force_login(admin)

    client.post(shop_url(shop_with_secrets), form(shop_with_secrets, outgoing_webhook_secret_new="typed-1"))

    shop_with_secrets.refresh_from_db()
    assert shop_with_secrets.outgoing_webhook_secret == "typed-1"
    assert "typed-1" not in client.get(shop_url(shop_with_secrets)).content.decode()


def test_a_removed_secret_leaves_the_shop_taking_no_webhooks(client, shop_with_secrets, admin):
    client.force_login(admin)

    client.post(shop_url(shop_with_secrets), form(shop_with_secrets, webhook_secret_change="remove"))

    shop_with_secrets.refresh_from_db()
    assert shop_with_secrets.webhook_secret == ""


def test_typing_a_secret_and_asking_to_generate_one_is_refused_and_changes_nothing(
    client, shop_with_secrets, admin
):
    client.force_login(admin)

    response = client.post(shop_url(shop_with_secrets), form(
        shop_with_secrets, webhook_secret_change="generate", webhook_secret_new="typed-2"))

    assert response.status_code == 200
    assert "not both" in response.content.decode()
    shop_with_secrets.refresh_from_db()
    assert shop_with_secrets.webhook_secret == SECRET


def test_a_new_shop_can_be_given_a_generated_secret(client, admin):
    client.force_login(admin)

    saved = client.post("/admin/cases/shop/add/", form(
        Shop(code="fresh", name="Fresh", time_zone="Asia/Shanghai"), webhook_secret_change="generate"),
        follow=True)

    shop = Shop.objects.get(code="fresh")
    assert shop.webhook_secret
    assert any(shop.webhook_secret in m for m in messages_of(saved))
