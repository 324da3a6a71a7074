"""Abuse limits: too many API requests get 429 with Retry-After (log-ins: test_login_limits.py)."""

from __future__ import annotations

from rest_framework.test import APIClient

from tests.factories import open_case


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


def test_no_span_of_the_period_lets_more_than_the_rate_through(db):
    from config.limits import Rate, hit

    rate = Rate(10, 60)
    # a burst at the end of one minute and another at the start of the next
    end_of_minute = [hit("burst", rate, now=1_000_059.0).allowed for _ in range(10)]
    next_minute = [hit("burst", rate, now=1_000_061.0).allowed for _ in range(10)]
    a_minute_later = hit("burst", rate, now=1_000_059.0 + 70).allowed

    assert end_of_minute == [True] * 10
    assert next_minute == [False] * 10
    assert a_minute_later


def test_a_refused_request_is_not_counted_so_a_steady_client_gets_the_rate(db):
    from config.limits import Rate, hit

    rate = Rate(6, 60)
    allowed = sum(hit("steady", rate, now=2_000_000.0 + second).allowed for second in range(0, 600, 5))

    # 120 requests over ten minutes at twice the rate: about the rate gets through, never more
    assert 50 <= allowed <= 60


def test_a_refusal_says_when_to_try_again(db):
    from config.limits import Rate, hit

    rate = Rate(2, 60)
    hit("soon", rate, now=3_000_000.0)
    hit("soon", rate, now=3_000_000.0)

    refused = hit("soon", rate, now=3_000_001.0)

    assert not refused.allowed
    assert 0 < refused.retry_after <= 70


def test_requests_at_once_from_many_threads_never_pass_the_rate(db, rf, agent):
    # DRF's own throttle reads a history, appends and writes it back: concurrent requests overwrite
    # each other's entries and more than the rate get through.
    import threading

    from rest_framework.request import Request

    from config.throttles import UserRateThrottle

    class Throttle(UserRateThrottle):
        rate = "40/min"

    allowed: list[bool] = []
    start = threading.Barrier(8)

    def client() -> None:
        request = Request(rf.get("/api/v1/cases/"))
        request.user = agent
        start.wait()
        for _ in range(25):
            allowed.append(Throttle().allow_request(request, None))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert allowed.count(True) == 40


def test_unknown_tokens_from_one_address_are_limited_even_for_a_right_token_then(db, settings, shop):
    from cases.services import create_api_token
    from tests.factories import UserFactory

    settings.API_TOKEN_FAILURE_RATE = "5/min"
    integration = UserFactory(username="erp", role="supervisor", shops=[shop])
    _token, raw = create_api_token(shop=shop, user=integration, name="ERP", by=None)
    client = APIClient()

    guesses = [client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer guess-{n}", REMOTE_ADDR="203.0.113.9")
               for n in range(5)]
    right_from_there = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {raw}",
                                  REMOTE_ADDR="203.0.113.9")
    right_from_elsewhere = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {raw}",
                                      REMOTE_ADDR="198.51.100.7")

    assert [g.status_code for g in guesses] == [401] * 5
    assert right_from_there.status_code == 429
    assert int(right_from_there["Retry-After"]) > 0
    assert "unknown API tokens" in right_from_there.json()["detail"]
    assert right_from_elsewhere.status_code == 200
