"""A real gunicorn with the app's config: a request stopped at the timeout answers JSON on the API."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn -c config/gunicorn.conf.py with a 1-second timeout, serving the slow test views."""
    port = free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.webserver.slow_settings", "DEBUG": "1"}
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "config/gunicorn.conf.py", "--timeout", "1", "--workers", "1",
         "--graceful-timeout", "1", "--bind", f"127.0.0.1:{port}", "config.wsgi"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=5)
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start: {log.read_text()}")
            time.sleep(0.2)
    yield base, log
    process.terminate()
    process.wait(timeout=10)


def get(url: str, **headers: str) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def test_an_api_request_stopped_at_the_timeout_answers_json_with_the_reason(server):
    base, log = server
    started = time.monotonic()

    status, content_type, body = get(base + "/api/v1/slow/")

    assert time.monotonic() - started < 10
    assert (status, content_type) == (503, "application/json")
    assert body.startswith('{"detail": "This request took longer than 1 second and was stopped.')
    assert "Request stopped at the 1s timeout: GET /api/v1/slow/" in log.read_text()


def test_the_timeout_answer_speaks_the_requests_language(server):
    base, _log = server

    _status, _type, body = get(base + "/api/v1/slow/", **{"Accept-Language": "zh-hans"})

    assert "1 秒" in body


def test_the_app_still_answers_after_a_worker_was_stopped(server):
    base, _log = server
    get(base + "/api/v1/slow/")

    assert get(base + "/accounts/login/")[0] == 200


def test_a_page_stopped_at_the_timeout_keeps_gunicorns_own_answer(server):
    base, _log = server

    status, content_type, _body = get(base + "/slow/")

    assert status == 500
    assert content_type.startswith("text/html")
