"""Abuse limits: too many log-in attempts or API requests get 429 with Retry-After."""

from __future__ import annotations

from django.test import Client

from tests.factories import open_case


def test_the_eleventh_log_in_attempt_in_a_minute_is_refused_with_429(db, settings, agent):
    settings.LOGIN_RATE = "10/m"
    client = Client()
    answers = [client.post("/accounts/login/", {"username": "agent1", "password": "wrong"})
               for _ in range(11)]

    assert [a.status_code for a in answers[:10]] == [200] * 10
    assert answers[10].status_code == 429
    assert answers[10]["Retry-After"] == "60"
    assert "wait a minute" in answers[10].content.decode()


def test_the_log_in_form_itself_is_not_limited(db, settings):
    settings.LOGIN_RATE = "2/m"
    client = Client()

    assert all(client.get("/accounts/login/").status_code == 200 for _ in range(5))


def test_a_user_over_the_api_rate_gets_429_with_retry_after(db, api, shop, agent, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/min", "anon": "3/min"})
    open_case(shop, by=agent)
    client = api(agent)

    answers = [client.get("/api/v1/cases/") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[3]["Retry-After"]) > 0
    assert "throttled" in answers[3].json()["detail"].lower()


def test_anonymous_requests_to_open_endpoints_have_their_own_lower_rate(db, api, monkeypatch):
    # (Closed endpoints refuse anonymous requests with 401 before any limit is counted.)
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "100/min"})

    answers = [api(None).get("/api/schema/") for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2]["Retry-After"]
