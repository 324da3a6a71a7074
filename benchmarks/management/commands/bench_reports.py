"""Benchmark: the resolution-time report over N cases (default 1,000,000), grouped by kind and by
week, timed over repeated runs with its peak memory; then the report page of that one shop as a
browser opens it (the last twelve weeks, and the whole year); then the agent scorecard of the first
shop of `seed_bench` (bench-1: ten agents, timelines, contacts), over all time and over four weeks;
figures to docs/BENCHMARKS.md.

    manage.py bench_reports --cases 1000000 --runs 5

Seeds (once; a later run tops up) a shop `bench-reports` with cases opened over the last year, most
of them resolved after a few hours to a few days, using INSERT … SELECT generate_series on
PostgreSQL (bulk_create elsewhere, with smaller defaults).
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tqdm import tqdm

from benchmarks.document import write_section
from benchmarks.measuring import peak_rss_mb, reset_peak_rss, settle
from cases.models import Case, Kind, Shop
from cases.reports.queries import duration_report
from cases.reports.scorecard import agent_scorecard

SHOP = "bench-reports"
KINDS = list(Kind.values)


class Command(BaseCommand):
    help = "Time the resolution-time report over many cases (see docs/BENCHMARKS.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        big = connection.vendor == "postgresql"
        parser.add_argument("--cases", type=int, default=1_000_000 if big else 50_000)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--no-doc", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        shop, _ = Shop.objects.get_or_create(code=SHOP, defaults={"name": "Report benchmark"})
        self._seed(shop, options["cases"])
        settle()
        total = Case.objects.filter(shop=shop).count()
        reset_peak_rss()  # peak memory of the reports only
        lines = ["| report | cases | groups | median s | max s | queries | peak MB |",
                 "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for group_by in ("kind", "week"):
            timings, rows, queries = [], 0, 0
            for _ in range(options["runs"]):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    report = duration_report(metric="resolution-time", by=None,
                                             params={"group_by": group_by, "shop": SHOP})
                    timings.append(time.perf_counter() - started)
                rows, queries = len(report.rows), len(captured)
            peak = peak_rss_mb()
            lines.append(f"| resolution-time by {group_by} | {total:,} | {rows} | "
                         f"{statistics.median(timings):.2f} | {max(timings):.2f} | {queries} | "
                         f"{peak:.0f} |")
            self.stdout.write(f"by {group_by}: median {statistics.median(timings):.2f} s")
        with override_settings(DEBUG=False):
            lines += self._report_page(total, options["runs"])
        table = "\n".join(lines)
        self.stdout.write(table)
        scorecard = self._scorecard(options["runs"])
        if scorecard:
            self.stdout.write(scorecard)
            table += "\n\n" + scorecard
        if not options["no_doc"]:
            write_section("## Resolution-time report", [
                "The report of `GET /api/v1/reports/resolution-time/` for one shop, computed in the "
                "database (percentile_cont on PostgreSQL), one row per group back to Python "
                "(`manage.py bench_reports`). Target: 1,000,000 cases within 2 s, under 200 MB.",
                "The report page (`GET /reports/?shop=…`: every report by kind, the weekly charts, "
                "the backlog, remedies and causes) for the same shop, as a supervisor's browser "
                "opens it, without a range (the last twelve weeks) and for the whole year. Target: "
                "2 s at 1,000,000 cases. "
                "Then `GET /api/v1/reports/agent-scorecard/?shop=bench-1`'s figures for the first "
                "shop of `seed_bench` (its cases, timelines and messages; a fifth of all the "
                "benchmark cases). Target: within 1 s.", "", table])

    def _report_page(self, total: int, runs: int) -> list[str]:
        """The report page of the benchmark shop, as a logged-in admin opens it (a session)."""
        reader, _ = get_user_model().objects.get_or_create(
            username="bench-reports-admin", defaults={"is_superuser": True, "is_staff": True})
        browser = Client(SERVER_NAME="localhost")
        browser.force_login(reader)
        year_ago = (timezone.localdate() - timedelta(days=365)).isoformat()
        lines = []
        for name, url in (("report page, last 12 weeks", f"/reports/?shop={SHOP}"),
                          ("report page, whole year", f"/reports/?shop={SHOP}&since={year_ago}")):
            browser.get(url)  # warm
            timings = []
            for _ in range(runs):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = browser.get(url)
                    timings.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: {response.status_code}")
            lines.append(f"| {name} | {total:,} | | {statistics.median(timings):.2f} | "
                         f"{max(timings):.2f} | {len(captured)} | {peak_rss_mb():.0f} |")
            self.stdout.write(f"{name}: median {statistics.median(timings):.2f} s")
        return lines

    def _scorecard(self, runs: int) -> str:
        """The scorecard of bench-1 over all time and over the last four weeks (none: no seed_bench)."""
        shop = Shop.objects.filter(code="bench-1").first()
        if shop is None:
            return ""
        total = Case.objects.filter(shop=shop).count()
        today = timezone.localdate()
        ranges = {"all time": {}, "last 4 weeks": {
            "since": (today - timedelta(days=28)).isoformat(),
            "until": (today + timedelta(days=1)).isoformat()}}
        lines = ["| scorecard | cases of the shop | agents | median s | max s | queries | peak MB |",
                 "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name, bounds in ranges.items():
            timings, rows, queries = [], 0, 0
            for _ in range(runs):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    card = agent_scorecard(by=None, params={"shop": shop.code, **bounds})
                    timings.append(time.perf_counter() - started)
                rows, queries = len(card.results), len(captured)
            lines.append(f"| {name} | {total:,} | {rows} | {statistics.median(timings):.2f} | "
                         f"{max(timings):.2f} | {queries} | {peak_rss_mb():.0f} |")
            self.stdout.write(f"scorecard, {name}: median {statistics.median(timings):.2f} s")
        return "\n".join(lines)

    def _seed(self, shop: Shop, wanted: int) -> None:
        have = Case.objects.filter(shop=shop).count()
        if have >= wanted:
            return
        now = timezone.now()
        chunk = 100_000
        with tqdm(total=wanted - have, unit="case", desc="seeding", file=self.stderr._out) as bar:
            for start in range(have, wanted, chunk):
                end = min(start + chunk, wanted)
                if connection.vendor == "postgresql":
                    self._insert_series(shop, start, end, now)
                else:
                    Case.objects.bulk_create([self._case(shop, n, now) for n in range(start, end)],
                                             batch_size=5000)
                bar.update(end - start)

    def _case(self, shop: Shop, n: int, now: Any) -> Case:
        opened = now - timedelta(minutes=(n * 7919) % 525_600)
        resolved = None if n % 10 == 0 else opened + timedelta(minutes=30 + (n * 104729) % 7200)
        return Case(shop=shop, kind=KINDS[n % len(KINDS)], state="resolved" if resolved else "new",
                    opened_at=opened, resolved_at=resolved,
                    resolution_due_at=opened + timedelta(hours=72), external_id=f"bench-{n}")

    def _insert_series(self, shop: Shop, start: int, end: int, now: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO cases_case (shop_id, kind, state, external_id, description, opened_at,
                    updated_at, resolved_at, resolution_due_at, closed_as, core_problem,
                    tracking_status, chosen_remedy, marketplace_rule, buyer_name, buyer_phone,
                    buyer_address, threats, flagged)
                SELECT %(shop)s, (%(kinds)s::text[])[1 + n %% 4],
                       CASE WHEN n %% 10 = 0 THEN 'new' ELSE 'resolved' END, 'bench-' || n, '',
                       o.at, o.at,
                       CASE WHEN n %% 10 = 0 THEN NULL
                            ELSE o.at + (30 + (n * 104729) %% 7200) * interval '1 minute' END,
                       o.at + interval '72 hours', '', '', '', '', '', '', '', '',
                       '[]'::jsonb, false
                FROM generate_series(%(start)s::bigint, %(end)s::bigint - 1) AS n,
                     LATERAL (SELECT %(now)s - ((n * 7919) %% 525600) * interval '1 minute' AS at) o
                """,
                {"shop": shop.pk, "kinds": KINDS, "start": start, "end": end, "now": now},
            )
