"""The load benchmark's parts (manage.py bench_load): the production server as docs/operations.md
deploys it, on a free loopback port; agents each with their own logged-in session; wrk driving them
with benchmarks/load.lua; the figures it prints and the server's CPU time per request."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import random
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.middleware.csrf import _get_new_csrf_string
from django.utils.module_loading import import_string

from benchmarks.seeding import AGENTS_PER_SHOP, PREFIX, SHOPS
from benchmarks.transitions import REMEDY
from cases import services
from cases.models import Case, State

BASE_DIR = Path(settings.BASE_DIR)
LUA = Path(__file__).with_name("load.lua")
LIST_URL = "/api/v1/cases/?state=acknowledged&ordering=next_due_at&page_size=50"
MARKER = "BENCH_LOAD "
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class AgentSession:
    username: str
    session: str  # the session key, as the browser's cookie holds it
    csrf: str  # the CSRF cookie's secret, sent back as the form's token
    case: int  # the case this agent opens and works (understood: it can be proposed)
    remedy: str


@dataclass(frozen=True)
class LoadResult:
    scenario: str
    requests: int
    seconds: float
    posts: int
    status_errors: int  # answers that are neither 2xx nor 3xx
    socket_errors: int
    timeouts: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    cpu_ms: float | None = None  # the server's processes' CPU time per request

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.status_errors + self.socket_errors + self.timeouts


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def machine_load(load_before: tuple[float, ...]) -> str:
    """The CPU and how busy the machine was before a run (a shared machine gives low figures)."""
    return (f"CPU: {os.cpu_count()} × {cpu_model()}; load average before the run "
            f"{load_before[0]:.2f} (1 min), {load_before[1]:.2f} (5 min): anything above ~0.2 "
            "means other work shared the cores and the figures are low.")


def wrk_path() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    return found


def bench_agents(count: int) -> list[Any]:
    """The benchmark shops' agents, shop by shop (seed_bench makes 10 in each of 5 shops)."""
    names = [f"{PREFIX}{s}-agent{a}" for a in range(1, AGENTS_PER_SHOP + 1)
             for s in range(1, SHOPS + 1)][:count]
    users = get_user_model().objects.in_bulk(names, field_name="username")
    return [users[name] for name in names if name in users]


def login_sessions(users: list[Any], *, seed: int | None = None) -> list[AgentSession]:
    """A session for each agent, made as a log-in makes it (through the session engine, not the
    rate-limited form), with a CSRF secret and one understood case of theirs to work."""
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    backend = "django.contrib.auth.backends.ModelBackend"
    chooser = random.Random(seed)
    sessions = []
    for user in users:
        cases = list(Case.objects.filter(assignee=user, state=State.UNDERSTOOD, kind__in=list(REMEDY))
                     .values_list("pk", "kind")[:50])
        if not cases:
            raise RuntimeError(f"{user.get_username()} has no understood case: seed more cases.")
        case, kind = chooser.choice(cases)
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        sessions.append(AgentSession(user.get_username(), session.session_key,
                                     _get_new_csrf_string(), case, str(REMEDY[kind])))
    return sessions


def end_sessions(sessions: list[AgentSession]) -> None:
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    for agent in sessions:
        store(session_key=agent.session).delete()


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
    def text(value: str) -> str:
        return json.dumps(value)  # a JSON string of ASCII is a valid Lua string

    agents = ",\n".join(
        f"  {{session = {text(a.session)}, csrf = {text(a.csrf)}, case = {a.case}, "
        f"remedy = {text(a.remedy)}}}" for a in sessions)
    return (f"return {{\n host = {text(host)}, list_url = {text(LIST_URL)},\n"
            f" session_cookie = {text(settings.SESSION_COOKIE_NAME)}, "
            f"csrf_cookie = {text(settings.CSRF_COOKIE_NAME)},\n agents = {{\n{agents}\n }}\n}}\n")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        process = subprocess.Popen(server_command(port, **options), cwd=BASE_DIR, env=server_env(secret_key),
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_up(port, process)
        yield f"127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(f"http://127.0.0.1:{port}/accounts/login/",
                                     headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start (exit {process.returncode}): see its log.")
        with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=5) as answer:
            if answer.status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on 127.0.0.1:{port} within {seconds:.0f} s.")


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


def cpu_seconds(master: int) -> float:
    """CPU time (user and system) of gunicorn's master and its workers so far."""
    total = 0.0
    for pid in [master, *_children(master)]:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def run_wrk(host: str, scenario: str, *, seconds: int, connections: int, data: Path,
            master: int | None = None) -> LoadResult:
    """wrk for `seconds` with `connections` agents (one thread each), bounded by a timeout."""
    command = [wrk_path(), "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "10s", "-s", str(LUA), f"http://{host}", "--", scenario]
    cpu_before = cpu_seconds(master) if master else 0.0
    done = subprocess.run(command, env={**os.environ, "BENCH_LOAD_DATA": str(data)},
                          capture_output=True, text=True, timeout=seconds + 60, check=False)
    cpu = cpu_seconds(master) - cpu_before if master else None
    result = parse_wrk(scenario, done.stdout)
    if result is None:
        raise RuntimeError(f"wrk gave no figures (exit {done.returncode}): {done.stderr[-500:]}")
    if cpu is not None and result.requests:
        result = LoadResult(**{**result.__dict__, "cpu_ms": cpu * 1000 / result.requests})
    return result


def parse_wrk(scenario: str, output: str) -> LoadResult | None:
    for line in output.splitlines():
        if line.startswith(MARKER):
            return LoadResult(scenario=scenario, **json.loads(line[len(MARKER):]))
    return None
