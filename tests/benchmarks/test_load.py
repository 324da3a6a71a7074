"""The load benchmark's parts work (its figures belong to `make bench-load`, run by hand)."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from benchmarks import load, seeding, wrk
from cases.models import Case, State

ROOT = Path(__file__).resolve().parents[2]


def agents_with_understood_cases(count: int) -> list:
    seeding.seed(600)
    have = set(Case.objects.filter(state=State.UNDERSTOOD, kind__in=list(load.REMEDY))
               .values_list("assignee_id", flat=True))
    return [user for user in load.bench_agents(50) if user.pk in have][:count]


def test_each_agent_gets_a_session_the_pages_and_the_api_accept(db):
    agents = agents_with_understood_cases(3)

    sessions = load.login_sessions(agents, seed=1)

    assert len({s.session for s in sessions}) == 3 and len({s.csrf for s in sessions}) == 3
    for agent, session in zip(agents, sessions, strict=True):
        client = Client(SERVER_NAME="localhost")
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session
        assert client.get("/").context["user"] == agent
        assert client.get(load.LIST_URL).status_code == 200
        assert Case.objects.get(pk=session.case).assignee == agent


def test_a_message_and_a_transition_posted_as_wrk_posts_them_are_done(db):
    # given an agent's session and CSRF cookie, and a form token that is the cookie's secret
    [agent] = agents_with_understood_cases(1)
    [session] = load.login_sessions([agent], seed=1)
    client = Client(SERVER_NAME="localhost", enforce_csrf_checks=True)
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session
    client.cookies[settings.CSRF_COOKIE_NAME] = session.csrf

    message = client.post(f"/cases/{session.case}/messages/", {
        "csrfmiddlewaretoken": session.csrf, "message-channel": "chat",
        "message-body": "Thank you for waiting, we are checking it."})
    propose = client.post(f"/cases/{session.case}/transitions/propose/", {
        "csrfmiddlewaretoken": session.csrf, "propose-remedy": session.remedy})

    assert (message.status_code, propose.status_code) == (302, 302)
    assert Case.objects.get(pk=session.case).state == State.PROPOSED
    # and the run's end puts the worked case back, ready for the next run
    assert load.put_cases_back([session]) == 1
    assert Case.objects.get(pk=session.case).state == State.UNDERSTOOD


def test_ended_sessions_no_longer_log_anyone_in(db):
    [session] = load.login_sessions(agents_with_understood_cases(1), seed=1)

    load.end_sessions([session])

    client = Client(SERVER_NAME="localhost")
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session
    assert client.get("/").status_code == 302


def test_the_lua_data_names_every_agent_and_the_cookies():
    sessions = [load.AgentSession(f"agent{n}", f"key{n}", f"csrf{n}", 100 + n, "full_refund")
                for n in range(3)]

    text = load.lua_data(sessions, "127.0.0.1:8123")

    assert text.startswith("return {") and '"127.0.0.1:8123"' in text
    assert text.count("session = ") == 3 and 'case = 102' in text
    assert f'"{settings.SESSION_COOKIE_NAME}"' in text and f'"{settings.CSRF_COOKIE_NAME}"' in text


def test_wrks_last_line_is_read_as_the_figures():
    output = ("Running 20s test @ http://127.0.0.1:8123\n"
              'BENCH_LOAD {"requests": 5000, "seconds": 20.0, "posts": 0, "status_errors": 2, '
              '"socket_errors": 1, "timeouts": 0, "p50_ms": 150.0, "p90_ms": 200.0, '
              '"p99_ms": 280.5, "max_ms": 400.0}\n')

    result = wrk.parse_wrk("queue", output)

    assert result is not None
    assert (result.rate, result.errors, result.p99_ms) == (250.0, 3, 280.5)
    assert wrk.parse_wrk("queue", "wrk: no such file") is None


def test_a_run_whose_every_answer_was_slower_than_the_timeout_says_so_not_zero_ms():
    every_one_late = wrk.LoadResult("list", requests=50, seconds=20.0, posts=0, status_errors=0,
                                    socket_errors=0, timeouts=50, p50_ms=0.0, p90_ms=0.0,
                                    p99_ms=0.0, max_ms=0.0, cpu_ms=92.2)
    in_time = wrk.LoadResult("queue", requests=1500, seconds=20.0, posts=0, status_errors=0,
                             socket_errors=0, timeouts=0, p50_ms=645.0, p90_ms=708.0,
                             p99_ms=1000.0, max_ms=1211.0)

    assert wrk.cells(every_one_late) == ("2 | > 10,000 | > 10,000 | > 10,000 | > 10,000 | 50 | "
                                         "50 (0 / 0 / 50) | 92.2")
    assert wrk.cells(in_time) == "75 | 645 | 708 | 1000 | 1211 | 1,500 | 0 | —"


def test_the_server_runs_as_deployed_on_loopback_with_debug_off():
    command = load.server_command(8123)
    env = load.server_env("k" * 64)

    assert command[-4:] == ["config/gunicorn.conf.py", "config.wsgi", "--bind", "127.0.0.1:8123"]
    assert (env["DEBUG"], env["ALLOWED_HOSTS"], env["SECRET_KEY"]) == ("0", "127.0.0.1", "k" * 64)
    assert load.server_command(8123, workers=3)[-2:] == ["--workers", "3"]


def test_gunicorn_runs_two_workers_per_core_and_one_unless_told(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert runpy.run_path(str(ROOT / "config/gunicorn.conf.py"))["workers"] == 2 * os.cpu_count() + 1
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(ROOT / "config/gunicorn.conf.py"))["workers"] == 3
    monkeypatch.setenv("WEB_CONCURRENCY", "many")
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY"):
        runpy.run_path(str(ROOT / "config/gunicorn.conf.py"))


def test_bench_load_says_to_seed_first_on_an_empty_database(db):
    with pytest.raises(CommandError, match="seed_bench"):
        call_command("bench_load", "--no-doc")


def test_bench_profile_names_where_the_queue_pages_and_the_api_lists_time_goes(db, capsys):
    agents_with_understood_cases(1)

    call_command("bench_profile", "--runs", "2", "--no-doc")

    out = capsys.readouterr().out
    assert "Python function calls per request" in out
    assert "template rendering" in out and "serializing 50 cases" in out
