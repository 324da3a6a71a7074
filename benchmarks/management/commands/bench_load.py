"""The app under load: the production server (gunicorn with config/gunicorn.conf.py, DEBUG off) on
a free loopback port, 50 agents each with their own session, driven by wrk for a bounded time per
scenario: the queue page, the API list, and agents working (queue, case page, messages and
transitions through the pages). Prints the table and writes a section of docs/BENCHMARKS.md.

    manage.py seed_bench --cases 100000 && manage.py bench_load --seconds 20
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.test import override_settings

from benchmarks import load, seeding, wrk
from benchmarks.document import write_section
from cases.models import Case

SCENARIOS = {
    "queue": "queue page (my open cases, 50 rows)",
    "api": "API list (state, by deadline, 50 rows)",
    "mixed": "agents working: queue, case page, message, transition",
}
TARGETS = {"queue": (250, 300), "api": (250, 300), "mixed": (None, 500)}  # req/s, p99 ms
HEADER = ["| scenario | " + wrk.COLUMNS + " | target |",
          "| --- | " + wrk.ALIGN + " | --- |"]


class Command(BaseCommand):
    help = "Measure the production server under 50 agents with wrk (seed_bench first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=int, default=20, help="Length of each scenario.")
        parser.add_argument("--warmup", type=int, default=3, help="Seconds of warm-up before each.")
        parser.add_argument("--connections", type=int, default=50, help="Agents, one connection each.")
        parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                            help="Comma-separated, among: " + ", ".join(SCENARIOS))
        parser.add_argument("--workers", type=int, help="gunicorn workers (its config's default).")
        parser.add_argument("--worker-class", help="gunicorn worker class (its config's default).")
        parser.add_argument("--threads", type=int, help="gunicorn threads per worker (gthread).")
        parser.add_argument("--no-doc", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        scenarios = [s for s in options["scenarios"].split(",") if s]
        unknown = set(scenarios) - set(SCENARIOS)
        if unknown:
            raise CommandError(f"Unknown scenarios: {', '.join(sorted(unknown))}.")
        total = seeding.existing_cases()
        if total == 0:
            raise CommandError("No benchmark cases: run manage.py seed_bench --cases N first.")
        key = load.throwaway_key()
        try:
            wrk.wrk_path()
            agents = load.bench_agents(options["connections"])
            with override_settings(SECRET_KEY=key):
                sessions = load.login_sessions(agents, seed=total)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        if len(sessions) < options["connections"]:
            raise CommandError(f"Only {len(sessions)} benchmark agents: seed_bench makes 50.")
        load_before = os.getloadavg()
        server = {k: options[k] for k in ("workers", "worker_class", "threads") if options[k]}
        log = Path(settings.VAR_DIR) / "bench_load.log"
        # The server's workers open their own connections; this process's stays idle meanwhile.
        connections.close_all()
        try:
            results = self._run(scenarios, sessions, dict(server, secret_key=key), log, options)
        except RuntimeError as error:
            raise CommandError(f"{error} (server log: {log})") from None
        finally:
            rejected = load.put_cases_back(sessions)
            load.end_sessions(sessions)
        self.stdout.write("\n".join([*HEADER, *(self._row(r) for r in results)]))
        self.stdout.write(f"({rejected} worked cases put back to understood; load average before: "
                          f"{load_before[0]:.2f})")
        if not options["no_doc"]:
            self._write(total, results, options, server, load_before)

    def _run(self, scenarios: list[str], sessions: list[load.AgentSession], server: dict[str, Any],
             log: Path, options: dict[str, Any]) -> list[wrk.LoadResult]:
        results = []
        with tempfile.TemporaryDirectory() as folder, \
                load.production_server(log, **server) as (host, master):
            data = Path(folder) / "agents.lua"
            data.write_text(load.lua_data(sessions, host))
            load.check_answers(host, sessions[0])
            for scenario in scenarios:
                if options["warmup"]:
                    load.run_wrk(host, scenario, seconds=options["warmup"],
                                 connections=options["connections"], data=data)
                result = load.run_wrk(host, scenario, seconds=options["seconds"],
                                      connections=options["connections"], data=data, master=master)
                self.stdout.write(self._row(result))
                results.append(result)
        return results

    def _row(self, r: wrk.LoadResult) -> str:
        rate, p99 = TARGETS[r.scenario]
        target = ", ".join([*([f"≥ {rate} req/s"] if rate else []), f"p99 ≤ {p99} ms", "no errors"])
        met = (not rate or r.rate >= rate) and r.p99_ms <= p99 and r.errors == 0
        return (f"| {SCENARIOS[r.scenario]} | {wrk.cells(r)} | "
                f"{target}: {'met' if met else 'not met'} |")

    def _write(self, total: int, results: list[wrk.LoadResult], options: dict[str, Any],
               server: dict[str, Any], load_before: tuple[float, float, float]) -> None:
        setup = ", ".join(f"--{k.replace('_', '-')} {v}" for k, v in server.items()
                          if k != "secret_key")
        write_section(f"## Under load: 50 agents at {total:,} cases", [
            wrk.machine_load(load_before),
            "",
            f"`manage.py bench_load` (`make bench-load`): gunicorn as docs/operations.md deploys it "
            f"(`-c config/gunicorn.conf.py config.wsgi`{', ' + setup if setup else ''}; DEBUG off, "
            "a throw-away SECRET_KEY, ALLOWED_HOSTS=127.0.0.1) on a free loopback port, against "
            f"{total:,} benchmark cases ({Case.objects.count():,} in the database). "
            f"{options['connections']} agents of the benchmark shops, each with their own "
            "logged-in session (made through the session engine) and CSRF token, one wrk "
            "connection each (wrk -t 50 -c 50, `benchmarks/load.lua`), "
            f"{options['seconds']} s per scenario after {options['warmup']} s of warm-up; as "
            "behind the TLS proxy, each request says `X-Forwarded-Proto: https`. The mixed "
            "workload: each agent in turn opens the queue, their case, sends a message, the queue, "
            "the case, then a transition (propose, next time reject), one in three requests a "
            "POST through the pages (the 302s back to the case are answers, not errors). Errors: "
            "answers neither 2xx nor 3xx, socket errors and timeouts (10 s). Server CPU: the "
            "user and system time of gunicorn's processes divided by the requests (PostgreSQL's "
            "and wrk's own are not in it), less sensitive to a shared machine than the rates.",
            "", *HEADER, *(self._row(r) for r in results), "",
            "Before the changes of docs/performance.md (\"Under load\"), with 3 sync workers and "
            "the same 50 connections on the machine the issue was measured on: the queue page 70 "
            "requests/s, p50 701 ms, p99 1.6 s; the API list 84/s, p99 1.2 s. django-helpdesk "
            "2.6.1 under the same load and harness: \"Under load: django-helpdesk 2.6.1 at "
            "100,000 tickets\"."])
