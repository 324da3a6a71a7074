"""A webhook body over WEBHOOK_MAX_BYTES: 413 with the reason; kept, truncated and with its headers,
when the shop's secret signed it; unsigned ones are refused as any other and never kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.test import Client, override_settings

from cases.models import Case, WebhookEvent
from cases.signatures import sign
from cases.webhook_body import KEPT_BYTES
from tests.factories import case_payload
from tests.integrations.test_webhooks import SECRET, URL

LIMIT = 10_000


@pytest.fixture
def shop(shop):
    shop.webhook_secret = SECRET
    shop.save()
    return shop


def opening(shop, size: int) -> bytes:
    """A case.opened event padded (with a field nobody reads) to about `size` bytes."""
    return json.dumps({"id": "evt-big", "type": "case.opened",
                       "created": datetime.now(UTC).isoformat(),
                       "data": case_payload(shop, external_id="TB-BIG"), "padding": "x" * size}).encode()


def post(body: bytes, *, secret: str | None = SECRET, url: str = URL, **headers):
    if secret is not None:
        headers["HTTP_X_SIGNATURE"] = sign(secret, body)
    return Client().post(url, data=body, content_type="application/json", **headers)


def test_a_signed_event_over_the_default_2_5_mb_is_refused_413_with_the_reason_and_kept(db, shop):
    body = opening(shop, 2_700_000)

    response = post(body, HTTP_X_MARKETPLACE="taobao", HTTP_COOKIE="sessionid=abc")

    assert response.status_code == 413
    assert response.json()["detail"] == (
        f"The body is {len(body):,} bytes; a webhook may send at most 2,621,440. Send the large "
        "parts (such as attachments) as links.")
    kept = WebhookEvent.objects.get()
    assert (kept.status, kept.detail) == ("refused", response.json()["detail"])
    assert kept.headers["X-Marketplace"] == "taobao"
    assert kept.headers["X-Signature"].startswith("t=")
    assert "Cookie" not in kept.headers
    assert kept.body.startswith('{"id": "evt-big"')
    assert len(kept.body) <= KEPT_BYTES
    assert not Case.objects.exists()


@override_settings(WEBHOOK_MAX_BYTES=LIMIT)
def test_the_limit_is_a_setting_and_a_body_within_it_is_applied(db, shop):
    within = post(opening(shop, LIMIT - 2_000))
    over = post(opening(shop, LIMIT))

    assert within.status_code == 201
    assert over.status_code == 413
    assert WebhookEvent.objects.filter(status="refused").count() == 1


@override_settings(WEBHOOK_MAX_BYTES=LIMIT)
@pytest.mark.parametrize(("secret", "url"), [
    (None, URL), ("another-secret", URL), (SECRET, "/api/v1/webhooks/nowhere/"),
])
def test_a_body_over_the_limit_not_signed_by_the_shop_is_refused_401_and_not_kept(
    db, shop, secret, url
):
    response = post(opening(shop, LIMIT), secret=secret, url=url)

    assert response.status_code == 401
    assert not WebhookEvent.objects.exists()


@override_settings(WEBHOOK_MAX_BYTES=LIMIT)
def test_a_body_over_ten_times_the_limit_is_refused_413_without_being_read(db, shop):
    response = post(opening(shop, 10 * LIMIT))

    assert response.status_code == 413
    assert "larger than 10,000 bytes" in response.json()["detail"]
    assert not WebhookEvent.objects.exists()


def test_every_kept_event_carries_its_headers_but_no_cookie_or_credential(db, shop):
    post(b"{not json", HTTP_X_REQUEST_ID="r-1", HTTP_AUTHORIZATION="Bearer secret-token")

    kept = WebhookEvent.objects.get()
    assert kept.headers["X-Request-Id"] == "r-1"
    assert "Authorization" not in kept.headers
    assert "secret-token" not in json.dumps(kept.headers)


@override_settings(WEBHOOK_MAX_BYTES=5 * LIMIT)
def test_a_phone_cut_short_at_the_end_of_a_kept_body_is_masked_too(db, shop):
    # given: a body whose kept part ends in the middle of the buyer's phone
    start = b'{"id": "evt-cut", "padding": "' + b"x" * (KEPT_BYTES - 60) + b'", "customer": {"phone": "'
    body = start + b"13800138000" + b'"}' + b" " * (10 * LIMIT)
    cut = KEPT_BYTES - len(start)

    post(body)

    kept = WebhookEvent.objects.get().body
    assert 0 < cut < 11
    assert "13800138000"[:cut] not in kept[-40:]
    assert kept.endswith('"phone": "' + "*" * cut)
