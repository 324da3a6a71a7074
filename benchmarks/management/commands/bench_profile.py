"""Where the time of the queue page and of the API list goes, in one process as production runs
them (DEBUG off, as behind the TLS proxy): CPU time per request, Python function calls per request
and the share of each part (cProfile with a CPU clock). Writes a section of docs/BENCHMARKS.md.

    manage.py seed_bench --cases 100000 && manage.py bench_profile
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client, override_settings

from benchmarks import load, profiling, seeding, wrk
from benchmarks.document import write_section

AGENT = "bench1-agent1"


class Command(BaseCommand):
    help = "Profile the queue page and the API list of one agent (seed_bench first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=60, help="Requests measured, and profiled.")
        parser.add_argument("--no-doc", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        load_before = os.getloadavg()
        total = seeding.existing_cases()
        if total == 0:
            raise CommandError("No benchmark cases: run manage.py seed_bench --cases N first.")
        with override_settings(DEBUG=False, SECURE_SSL_REDIRECT=False):
            agent = next(u for u in load.bench_agents(50) if u.get_username() == AGENT)
            client = Client(SERVER_NAME="localhost", HTTP_X_FORWARDED_PROTO="https")
            client.force_login(agent)
            found = [
                profiling.profile("queue page (my open cases, 50 rows)",
                                  lambda: self._ok(client.get("/")), profiling.QUEUE_PARTS,
                                  runs=options["runs"]),
                profiling.profile("API list (state, by deadline, 50 rows; the agent's session)",
                                  lambda: self._ok(client.get(load.LIST_URL)), profiling.API_PARTS,
                                  runs=options["runs"]),
            ]
        lines = [line for p in found for line in [*profiling.table(p), ""]]
        self.stdout.write("\n".join(lines))
        if not options["no_doc"]:
            write_section(f"## Under load: where the time goes at {total:,} cases", [
                wrk.machine_load(load_before), "",
                "`manage.py bench_profile` (`make bench-load`): one agent's queue page and API list "
                f"{options['runs']} times in one process through Django's test client, DEBUG off "
                "and as behind the TLS proxy (the middleware, session and user loading included; no "
                "network): the CPU time per request, the Python function calls per request (a count "
                "the machine's load does not move), then the same requests under cProfile with a "
                "CPU clock, and the share of their CPU time spent in each part (a part's time "
                "includes what it calls; the profiler's own cost inflates the parts that make many "
                "small calls, such as template rendering).", "", *lines])

    def _ok(self, response: Any) -> Any:
        if response.status_code != 200:
            raise CommandError(f"{response.status_code}: {response.content[:200]!r}")
        return response
