"""Real processes for tests: a Celery worker, the app under gunicorn, a redis-server of the test's own.

Each runs against the test database (committed data: use `transactional_db`) with DEBUG=1.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Process:
    """A process in a session of its own, its output in a log file."""

    def __init__(self, command: list[str], log: Path, env: dict[str, str]) -> None:
        self.log = log
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"),
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        lines = self.log.read_text(errors="replace").splitlines()
        # The whole log: a capped tail lost early lines once each failed enqueue logged its traceback.
        return "\n".join(line for line in lines if "No hostname was supplied" not in line)


def app_environment(var_dir: Path, **env: str) -> dict[str, str]:
    environment = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url(), "VAR_DIR": str(var_dir),
                   "LOG_LEVEL": "WARNING"}
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        environment["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    return {**environment, **env}


class Worker(Process):
    """`celery worker --beat` in a process of its own, on a queue of its own."""

    def __init__(self, var_dir: Path, queue: str, **env: str) -> None:
        super().__init__(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--pool=solo",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", queue,
             "--loglevel=WARNING", "-s", str(var_dir / f"beat-{queue}")],
            var_dir / f"worker-{uuid.uuid4().hex[:6]}.log",
            app_environment(var_dir, CELERY_QUEUE=queue, REMINDER_SWEEP_SECONDS="1", **env),
        )


class RedisServer(Process):
    """A redis-server of the test's own on a free port (the machine's is never stopped)."""

    binary = shutil.which("redis-server")

    def __init__(self, var_dir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.var_dir = var_dir
        self.start()

    def start(self) -> None:
        super().__init__([self.binary or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                          "--save", "", "--appendonly", "no", "--dir", str(self.var_dir)],
                         self.var_dir / f"redis-{self.port}.log", dict(os.environ))
        wait_until(self.answers, 10, self)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


class App(Process):
    """The app under gunicorn (one sync worker), as production runs it."""

    def __init__(self, var_dir: Path, **env: str) -> None:
        self.port = free_port()
        super().__init__(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--timeout", "60"],
            var_dir / f"app-{self.port}.log", app_environment(var_dir, **env),
        )
        wait_until(lambda: self.get("/accounts/login/")[0] == 200, 30, self)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        return self.request("GET", path, headers=headers)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                return answer.status, answer.read().decode(errors="replace")
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode(errors="replace")
        except (urllib.error.URLError, ConnectionError):
            return 0, ""


def wait_until(predicate, timeout: float, process: Process) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if process.process.poll() is not None:
            raise AssertionError(f"the process stopped:\n{process.output()}")
        time.sleep(0.2)
    raise AssertionError(f"not ready within {timeout} s:\n{process.output()}")
