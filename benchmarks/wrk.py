"""What every load run needs, whatever the server: a free loopback port, a server process started and
stopped, wrk driving it with a Lua script, the figures that script prints, the server's CPU time, and
logged-in sessions for its connections. No app is imported here (Django only), so the side-by-side
peer (benchmarks/helpdesk_peer/, in a venv of its own) runs under the same load as the app
(benchmarks/load.py)."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MARKER = "BENCH_LOAD "
TIMEOUT_SECONDS = 10  # wrk's --timeout: an answer slower than this is counted a timeout
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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


# The figures of one run, as table cells (the scenario's name before, anything else after).
COLUMNS = ("req/s | p50 ms | p90 ms | p99 ms | max ms | requests | errors (status / socket / timeout) | "
           "server CPU ms/request")
ALIGN = "---: | ---: | ---: | ---: | ---: | ---: | ---: | ---:"


def cells(r: LoadResult) -> str:
    """The figures as cells. wrk keeps no latency of an answer slower than its timeout (it counts
    it a timeout): when every answer was, the latencies say "over" the timeout, not 0."""
    cpu = "—" if r.cpu_ms is None else f"{r.cpu_ms:.1f}"
    errors = (f"{r.errors} ({r.status_errors} / {r.socket_errors} / {r.timeouts})" if r.errors
              else "0")
    if r.requests and r.timeouts >= r.requests:
        latencies = " | ".join([f"> {TIMEOUT_SECONDS * 1000:,}"] * 4)
    else:
        latencies = f"{r.p50_ms:.0f} | {r.p90_ms:.0f} | {r.p99_ms:.0f} | {r.max_ms:.0f}"
    return f"{r.rate:.0f} | {latencies} | {r.requests:,} | {errors} | {cpu}"


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(command: list[str], *, port: int, cwd: Path, env: dict[str, str], log: Path,
          ready_path: str) -> Iterator[tuple[str, int]]:
    """Start the server `command` (listening on `port`), wait until `ready_path` answers 200, yield
    (host:port, its pid); stop it after."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        _wait_until_up(port, process, ready_path)
        yield f"127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(port: int, process: subprocess.Popen, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start (exit {process.returncode}): see its log.")
        with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=5) as answer:
            if answer.status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"the server did not answer on 127.0.0.1:{port} within {seconds:.0f} s.")


def cpu_seconds(master: int) -> float:
    """CPU time (user and system) of a server's master process and its workers so far."""
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


def run_wrk(host: str, scenario: str, *, seconds: int, connections: int, data: Path, script: Path,
            master: int | None = None) -> LoadResult:
    """wrk for `seconds` with `connections` agents (one thread each), bounded by a timeout; `script`
    reads its agents from the Lua file `data` and ends with a line `BENCH_LOAD {json}`."""
    command = [wrk_path(), "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", f"{TIMEOUT_SECONDS}s", "-s", str(script), f"http://{host}", "--", scenario]
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


def lua_string(value: str) -> str:
    """A Lua string literal for an ASCII value of ours (a JSON string of ASCII is one)."""
    return json.dumps(value)


def logged_in_session(user: Any) -> str:
    """A session key for `user`, made as a log-in makes it (through the session engine, not the
    rate-limited form): what a load run's connection sends as its cookie."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = _session_store()()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def end_sessions(keys: list[str]) -> None:
    """Log the load run's sessions out (delete them)."""
    store = _session_store()
    for key in keys:
        store(session_key=key).delete()


def _session_store() -> Any:
    from django.conf import settings
    from django.utils.module_loading import import_string

    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")
