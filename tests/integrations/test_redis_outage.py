"""A Redis outage never fails a user: the limits count in the process's memory until Redis is back.

The API throttles and the failed-token limit keep their counters in the Redis cache; the log-in
limits are in the database. With Redis unreachable, requests are answered as usual, the limits count
per process, and once Redis is back (no restart) the counters and the task queue are shared again.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
import redis

from cases.models import Case
from cases.services import create_api_token
from notifications.models import Notification
from tests.factories import UserFactory, case_payload
from tests.processes import App, RedisServer, Worker, free_port, wait_until

CASES = "/api/v1/cases/"

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(RedisServer.binary is None, reason="needs redis-server (apt-get install redis)"),
]


@pytest.fixture
def integration(transactional_db, shop):
    user = UserFactory(username="erp", role="supervisor", shops=[shop])
    UserFactory(username="lead", password="right-password", role="supervisor", shops=[shop], is_staff=True)
    _token, raw = create_api_token(shop=shop, user=user, name="ERP", by=None)
    return {"Authorization": f"Bearer {raw}"}


def api(app: App, bearer: dict, method: str = "GET", path: str = CASES, data: dict | None = None) -> int:
    body = json.dumps(data).encode() if data is not None else None
    status, _text = app.request(method, path, body, {**bearer, "Content-Type": "application/json"})
    return status


def log_in(app: App, password: str) -> int:
    """The log-in form as a browser fills it (CSRF cookie and token first): 302 when it logs in."""
    browser = build_opener(HTTPCookieProcessor(CookieJar()))
    form = browser.open(app.url + "/accounts/login/", timeout=20).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urlencode({"username": "lead", "password": password, "csrfmiddlewaretoken": token}).encode()
    try:
        with browser.open(Request(app.url + "/accounts/login/", data=data), timeout=20) as answer:
            return answer.status if answer.url.endswith("/accounts/login/") else 302
    except HTTPError as error:
        return error.code


def test_with_redis_at_a_closed_port_the_api_and_the_log_in_answer_as_usual(integration, shop, tmp_path):
    closed = f"redis://127.0.0.1:{free_port()}"
    app = App(tmp_path, REDIS_URL=f"{closed}/0", CACHE_URL=f"{closed}/1", CELERY_BROKER_URL=f"{closed}/0",
              API_RATE_USER="5/min")
    try:
        opened = api(app, integration, "POST", data=case_payload(shop, external_id="DOWN-1"))
        answers = [api(app, integration) for _ in range(6)]
        wrong, right = log_in(app, "wrong"), log_in(app, "right-password")
    finally:
        app.stop()

    # the limit still holds, counted in the process's memory
    assert answers == [200] * 4 + [429] * 2
    assert (wrong, right) == (200, 302)
    assert opened == 201
    log = app.output()
    assert "Internal Server Error" not in log
    assert log.count("Redis cache unreachable") == 1  # once a minute, not per request


def test_redis_stopping_and_starting_again_mid_run_fails_no_request_and_loses_nothing(
    integration, shop, tmp_path
):
    server = RedisServer(tmp_path)
    queue = f"outage-{uuid.uuid4().hex[:8]}"
    env = {"REDIS_URL": server.url(0), "CACHE_URL": server.url(1), "CELERY_BROKER_URL": server.url(0),
           "CELERY_QUEUE": queue, "API_RATE_USER": "5/min", "CACHE_RETRY_SECONDS": "1"}
    app = App(tmp_path, **env)
    counters = redis.Redis(port=server.port, db=1)
    queued = redis.Redis(port=server.port, db=0)
    worker = None
    try:
        # given the app counting in Redis
        assert [api(app, integration) for _ in range(6)] == [200] * 5 + [429]
        assert counters.keys("*limit*")

        # when Redis stops
        server.stop()
        during = [api(app, integration) for _ in range(3)]
        logged_in = log_in(app, "right-password")
        opened = api(app, integration, "POST", data=case_payload(shop, external_id="OUTAGE-1"))
        first = Case.objects.get(external_id="OUTAGE-1")
        escalated = api(app, integration, "POST", f"{CASES}{first.pk}/transitions/escalate/",
                        {"reason": "The buyer opened a platform complaint."})

        # then nothing failed: fresh counters in the process's memory, the work kept as rows
        assert during == [200, 200, 200]
        assert (logged_in, opened, escalated) == (302, 201, 200)

        # when Redis starts again on the same port, with nothing in it
        server.start()
        time.sleep(1.5)  # CACHE_RETRY_SECONDS: the app tries Redis again
        reopened = api(app, integration, "POST", data=case_payload(shop, external_id="OUTAGE-2"))
        second = Case.objects.get(external_id="OUTAGE-2")
        escalated = api(app, integration, "POST", f"{CASES}{second.pk}/transitions/escalate/",
                        {"reason": "Again."})
        after = [api(app, integration) for _ in range(4)]

        # then the counters are shared in Redis again (5 a minute: 2 writes and 3 reads), and tasks
        # reach its queue again
        assert (reopened, escalated) == (201, 200)
        assert after == [200] * 3 + [429]
        assert counters.keys("*limit*")
        assert queued.llen(queue) >= 1

        # and a worker delivers what fell due during the outage and after it, once each
        worker = Worker(tmp_path, queue, CELERY_BROKER_URL=server.url(0), REDIS_URL=server.url(0),
                        CACHE_URL=server.url(1))
        wait_until(lambda: Notification.objects.filter(case__in=[first, second]).values("case")
                   .distinct().count() == 2, 60, worker)
        per_case = [Notification.objects.filter(case=case, recipient__username="lead").count()
                    for case in (first, second)]
        assert per_case == [1, 1]
    finally:
        for process in (worker, app, server):
            if process is not None:
                process.stop()
    assert "Internal Server Error" not in app.output()


def test_the_cache_answers_from_memory_and_logs_the_outage_once(settings, caplog):
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "config.cache.FailOpenRedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{free_port()}/1"}}
    cache = caches["default"]

    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for n in range(50):
            cache.set(f"k{n}", n)
            assert cache.get(f"k{n}") == n
        assert cache.add("counter", 0) and cache.incr("counter") == 1

    assert caplog.text.count("Redis cache unreachable") == 1
