"""The load benchmark's parts (manage.py bench_load): the production server as docs/operations.md
deploys it, on a free loopback port; agents each with their own logged-in session; wrk driving them
with benchmarks/load.lua (the server-independent parts, wrk and the server process, are in
benchmarks/wrk.py)."""

from __future__ import annotations

import contextlib
import os
import random
import secrets
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.middleware.csrf import _get_new_csrf_string

from benchmarks import wrk
from benchmarks.seeding import AGENTS_PER_SHOP, PREFIX, SHOPS
from benchmarks.transitions import REMEDY
from benchmarks.wrk import LoadResult, free_port, logged_in_session, lua_string, serve
from benchmarks.wrk import run_wrk as run_script
from cases import services
from cases.models import Case, State

BASE_DIR = Path(settings.BASE_DIR)
LUA = Path(__file__).with_name("load.lua")
LIST_URL = "/api/v1/cases/?state=acknowledged&ordering=next_due_at&page_size=50"


@dataclass(frozen=True)
class AgentSession:
    username: str
    session: str  # the session key, as the browser's cookie holds it
    csrf: str  # the CSRF cookie's secret, sent back as the form's token
    case: int  # the case this agent opens and works (understood: it can be proposed)
    remedy: str


def bench_agents(count: int) -> list[Any]:
    """The benchmark shops' agents, shop by shop (seed_bench makes 10 in each of 5 shops)."""
    names = [f"{PREFIX}{s}-agent{a}" for a in range(1, AGENTS_PER_SHOP + 1)
             for s in range(1, SHOPS + 1)][:count]
    users = get_user_model().objects.in_bulk(names, field_name="username")
    return [users[name] for name in names if name in users]


def login_sessions(users: list[Any], *, seed: int | None = None) -> list[AgentSession]:
    """A session for each agent (wrk.logged_in_session), with a CSRF secret and one understood
    case of theirs to work."""
    chooser = random.Random(seed)
    sessions = []
    for user in users:
        cases = list(Case.objects.filter(assignee=user, state=State.UNDERSTOOD, kind__in=list(REMEDY))
                     .values_list("pk", "kind")[:50])
        if not cases:
            raise RuntimeError(f"{user.get_username()} has no understood case: seed more cases.")
        case, kind = chooser.choice(cases)
        sessions.append(AgentSession(user.get_username(), logged_in_session(user),
                                     _get_new_csrf_string(), case, str(REMEDY[kind])))
    return sessions


def end_sessions(sessions: list[AgentSession]) -> None:
    wrk.end_sessions([agent.session for agent in sessions])


def put_cases_back(sessions: list[AgentSession]) -> int:
    """The worked cases that a run left proposed go back to understood (the buyer rejected), so the
    next run finds them as this one did. How many it rejected."""
    users = get_user_model().objects.in_bulk([a.username for a in sessions], field_name="username")
    back = 0
    for agent in sessions:
        if Case.objects.filter(pk=agent.case, state=State.PROPOSED).exists():
            services.run_transition(case_id=agent.case, name="reject", by=users[agent.username],
                                    data={"reason": "The buyer wants to think it over."})
            back += 1
    return back


def lua_data(sessions: list[AgentSession], host: str) -> str:
    """The data file load.lua reads: a Lua table (the values are ours: keys, digits, slugs)."""
    text = lua_string
    agents = ",\n".join(
        f"  {{session = {text(a.session)}, csrf = {text(a.csrf)}, case = {a.case}, "
        f"remedy = {text(a.remedy)}}}" for a in sessions)
    return (f"return {{\n host = {text(host)}, list_url = {text(LIST_URL)},\n"
            f" session_cookie = {text(settings.SESSION_COOKIE_NAME)}, "
            f"csrf_cookie = {text(settings.CSRF_COOKIE_NAME)},\n agents = {{\n{agents}\n }}\n}}\n")


def server_command(port: int, workers: int | None = None, worker_class: str | None = None,
                   threads: int | None = None) -> list[str]:
    """gunicorn as docs/operations.md runs it (its config file), on loopback only."""
    command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi",
               "--bind", f"127.0.0.1:{port}"]
    if workers:
        command += ["--workers", str(workers)]
    if worker_class:
        command += ["--worker-class", worker_class]
    if threads:
        command += ["--threads", str(threads)]
    return command


def throwaway_key() -> str:
    """The run's SECRET_KEY: the sessions are signed with it here and read with it by the server."""
    return secrets.token_urlsafe(64)


def server_env(secret_key: str) -> dict[str, str]:
    """Production settings: DEBUG off, the run's throw-away key, only the loopback address as host."""
    env = dict(os.environ)
    env.update(DEBUG="0", SECRET_KEY=secret_key, ALLOWED_HOSTS="127.0.0.1", LOG_LEVEL="WARNING")
    return env


@contextlib.contextmanager
def production_server(log: Path, secret_key: str, **options: Any) -> Iterator[tuple[str, int]]:
    """Start gunicorn, wait until it answers, yield (host:port, master pid); stop it after."""
    port = free_port()
    with serve(server_command(port, **options), port=port, cwd=BASE_DIR,
               env=server_env(secret_key), log=log, ready_path="/accounts/login/") as server:
        yield server


def check_answers(host: str, agent: AgentSession) -> None:
    """One agent's queue page, API list and case page answer 200 (not the log-in page): the
    sessions are valid for the server before wrk counts anything."""
    cookie = (f"{settings.SESSION_COOKIE_NAME}={agent.session}; "
              f"{settings.CSRF_COOKIE_NAME}={agent.csrf}")
    for path in ("/", LIST_URL, f"/cases/{agent.case}/"):
        request = urllib.request.Request(f"http://{host}{path}", headers={
            "Cookie": cookie, "X-Forwarded-Proto": "https"})
        with _no_redirects().open(request, timeout=30) as answer:
            if answer.status != 200:
                raise RuntimeError(f"{path} answered {answer.status} to a benchmark agent.")


def _no_redirects() -> urllib.request.OpenerDirector:
    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    return urllib.request.build_opener(Keep)


def run_wrk(host: str, scenario: str, *, seconds: int, connections: int, data: Path,
            master: int | None = None) -> LoadResult:
    """benchmarks/load.lua's `scenario` for `seconds` with `connections` agents (wrk.run_wrk)."""
    return run_script(host, scenario, seconds=seconds, connections=connections, data=data,
                      script=LUA, master=master)
