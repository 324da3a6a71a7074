"""The peer under the same load as the app (benchmarks/load.py, `manage.py bench_load`): gunicorn
with as many sync workers as the app's config gives (2 per core + 1), DEBUG off, on a free loopback
port; 50 of its staff users each with their own session; wrk opening the ticket list as a browser
does (the page, then its rows' JSON), for a bounded time. Run by `bench.py load` (`make bench-peer`)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import wrk
from benchmarks.helpdesk_peer import plan

LUA = Path(__file__).with_name("load.lua")
SCENARIO = "list"
WHAT = "ticket list as opened: page, then its JSON ({rows} rows)"


def staff_sessions(count: int) -> list[str]:
    """A session key for each of the first `count` staff users, made as a log-in makes it."""
    from django.contrib.auth import get_user_model

    names = [plan.staff_user(i)["username"] for i in range(count)]
    users = get_user_model().objects.in_bulk(names, field_name="username")
    if len(users) < count:
        raise SystemExit(f"Only {len(users)} staff users: seed first (bench seed --tickets N).")
    return [wrk.logged_in_session(users[name]) for name in names]


def lua_data(keys: list[str], list_url: str, json_url: str) -> str:
    from django.conf import settings

    text = wrk.lua_string
    sessions = ",\n".join(f"  {text(key)}" for key in keys)
    return (f"return {{\n list_url = {text(list_url)}, json_url = {text(json_url)},\n"
            f" session_cookie = {text(settings.SESSION_COOKIE_NAME)},\n"
            f" sessions = {{\n{sessions}\n }}\n}}\n")


def workers() -> int:
    """As many sync workers as config/gunicorn.conf.py gives the app (2 per core + 1)."""
    return 2 * (os.cpu_count() or 1) + 1


def server_command(port: int) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "benchmarks.helpdesk_peer.wsgi", "--bind",
            f"127.0.0.1:{port}", "--workers", str(workers()), "--timeout", "30",
            "--log-level", "warning"]


def run(list_url: str, json_url: str, *, seconds: int, warmup: int,
        connections: int) -> wrk.LoadResult:
    """Serve the peer and open its list under `connections` staff users for `seconds`."""
    from django.db import connections as databases

    keys = staff_sessions(connections)
    databases.close_all()  # the server's workers open their own
    root = Path(__file__).resolve().parents[2]
    port = wrk.free_port()
    try:
        with tempfile.TemporaryDirectory() as folder, wrk.serve(
                server_command(port), port=port, cwd=root, env=dict(os.environ),
                log=root / "var" / "bench_peer_load.log", ready_path="/login/") as (host, master):
            data = Path(folder) / "sessions.lua"
            data.write_text(lua_data(keys, list_url, json_url))
            options: dict[str, Any] = dict(connections=connections, data=data, script=LUA)
            if warmup:
                wrk.run_wrk(host, SCENARIO, seconds=warmup, **options)
            return wrk.run_wrk(host, SCENARIO, seconds=seconds, master=master, **options)
    finally:
        wrk.end_sessions(keys)
