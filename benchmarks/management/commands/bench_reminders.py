"""Benchmark: one sweep claiming and delivering (in-app) N due reminders among a large table.

    manage.py bench_reminders --total 1000000 --due 10000 --runs 3

Seeds (once; later runs top up) a shop `bench` with cases and `total` reminders, of which `due` are
due now; the rest were sent, cancelled, or are due later. Each run resets the due ones to pending,
then times one full sweep (claim + delivery, in this process, in-app only) and writes the figures to
docs/BENCHMARKS.md.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from tqdm import tqdm

from benchmarks.document import DOC, write_section
from benchmarks.measuring import peak_rss_mb, reset_peak_rss, settle
from cases.models import Case, Kind, Shop, State
from cases.permissions import AGENT, SUPERVISOR
from notifications.delivery import deliver_reminders
from notifications.models import Notification, Reminder, ReminderState
from notifications.sweep import Claim, sweep

SHOP = "bench"
SECTION = "## Reminder sweep"


class Command(BaseCommand):
    help = "Time one sweep delivering `--due` reminders among `--total` rows (see docs/BENCHMARKS.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        big = connection.vendor == "postgresql"
        parser.add_argument("--total", type=int, default=1_000_000 if big else 100_000)
        parser.add_argument("--due", type=int, default=10_000)
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--no-doc", action="store_true", help="print only, leave the doc")

    def handle(self, *args: Any, **options: Any) -> None:
        total, due = options["total"], options["due"]
        if due > total:
            self.stderr.write("--due cannot exceed --total.")
            return
        shop, agent = self._staff()
        case_ids = self._cases(shop, agent, options["cases"])
        self._background(case_ids, total - due)
        due_ids = self._due(case_ids, due)
        settle()
        rows = Reminder.objects.count()
        timings, queries, delivered = [], [], []
        reset_peak_rss()  # the peak of the sweeps, not of the seeding
        for run in range(options["runs"]):
            self._reset(due_ids)
            seconds, count, report = self._one_sweep()
            timings.append(seconds)
            queries.append(count)
            delivered.append(report.delivered)
            self.stdout.write(f"run {run + 1}: {report.delivered} delivered in {seconds:.2f} s, "
                              f"{count} queries")
        peak_mb = peak_rss_mb()
        self._reset(due_ids)  # the plan of a claim with the due rows in place
        plan = self._claim_plan()
        table = self._table(rows, due, timings, queries, delivered, peak_mb)
        self.stdout.write(table)
        if plan:
            self.stdout.write(plan)
        if not options["no_doc"]:
            self._write_doc(table, plan)
            self.stdout.write(f"Written to {DOC.relative_to(settings.BASE_DIR)}.")

    # --- seeding ---------------------------------------------------------------------------------

    def _staff(self) -> tuple[Shop, Any]:
        shop, _ = Shop.objects.get_or_create(code=SHOP, defaults={"name": "Benchmark shop"})
        users = get_user_model().objects
        agent, _ = users.get_or_create(username="bench-agent")
        supervisor, _ = users.get_or_create(username="bench-supervisor")
        agent.groups.add(Group.objects.get_or_create(name=AGENT)[0])
        supervisor.groups.add(Group.objects.get_or_create(name=SUPERVISOR)[0])
        shop.members.add(agent, supervisor)
        return shop, agent

    def _cases(self, shop: Shop, agent: Any, wanted: int) -> list[int]:
        have = Case.objects.filter(shop=shop).count()
        if have < wanted:
            now = timezone.now()
            Case.objects.bulk_create(
                [Case(shop=shop, kind=Kind.REFUND, state=State.ACKNOWLEDGED, assignee=agent,
                      opened_at=now, first_responded_at=now,
                      resolution_due_at=now + timedelta(days=30),
                      next_due_at=now + timedelta(days=30)) for _ in range(wanted - have)],
                batch_size=5000)
        return list(Case.objects.filter(shop=shop).order_by("id").values_list("id", flat=True)
                    [:wanted])

    def _background(self, case_ids: list[int], wanted: int) -> None:
        """Reminders that are not due: 80 % sent, 10 % cancelled, 10 % due in the coming weeks."""
        have = Reminder.objects.filter(idempotency_key__startswith="bench:bg:").count()
        missing = wanted - have
        if missing <= 0:
            return
        now = timezone.now()
        chunk = 50_000
        with tqdm(total=missing, unit="row", desc="seeding", file=self.stderr._out) as bar:
            for start in range(have, wanted, chunk):
                end = min(start + chunk, wanted)
                if connection.vendor == "postgresql":
                    self._insert_series(case_ids, start, end, now)
                else:
                    Reminder.objects.bulk_create(
                        [self._background_row(case_ids, n, now) for n in range(start, end)],
                        batch_size=5000)
                bar.update(end - start)

    def _background_row(self, case_ids: list[int], n: int, now: Any) -> Reminder:
        state = ("sent", "sent", "sent", "sent", "sent", "sent", "sent", "sent", "cancelled",
                 "pending")[n % 10]
        when = now - timedelta(minutes=n % 50_000) if state != "pending" else \
            now + timedelta(days=1, minutes=n % 50_000)
        return Reminder(case_id=case_ids[n % len(case_ids)], kind="deadline_warning",
                        deadline="resolution", deadline_at=when, audience="assignee", due_at=when,
                        state=state, idempotency_key=f"bench:bg:{n}", created_at=now)

    def _insert_series(self, case_ids: list[int], start: int, end: int, now: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO notifications_reminder
                    (kind, case_id, deadline, deadline_at, audience, due_at, state, attempts,
                     last_error, claim_token, outcome, idempotency_key, created_at, data)
                SELECT 'deadline_warning', (%(ids)s::bigint[])[1 + n %% %(count)s], 'resolution',
                       t.at, 'assignee', t.at,
                       CASE WHEN n %% 10 < 8 THEN 'sent' WHEN n %% 10 = 8 THEN 'cancelled'
                            ELSE 'pending' END,
                       0, '', '', '', 'bench:bg:' || n, %(now)s, '{}'::jsonb
                FROM generate_series(%(start)s, %(end)s - 1) AS n,
                     LATERAL (SELECT CASE WHEN n %% 10 = 9
                                          THEN %(now)s + interval '1 day' + (n %% 50000) * interval '1 minute'
                                          ELSE %(now)s - (n %% 50000) * interval '1 minute' END AS at) t
                """,
                {"ids": case_ids, "count": len(case_ids), "start": start, "end": end, "now": now},
            )

    def _due(self, case_ids: list[int], due: int) -> list[int]:
        have = Reminder.objects.filter(idempotency_key__startswith="bench:due:").count()
        if have < due:
            now = timezone.now()
            Reminder.objects.bulk_create(
                [Reminder(case_id=case_ids[n % len(case_ids)], kind="handed_over",
                          audience="assignee", due_at=now, idempotency_key=f"bench:due:{n}")
                 for n in range(have, due)], batch_size=5000)
        return list(Reminder.objects.filter(idempotency_key__startswith="bench:due:")
                    .order_by("id").values_list("id", flat=True)[:due])

    def _reset(self, due_ids: list[int]) -> None:
        with transaction.atomic():
            Notification.objects.filter(reminder_id__in=due_ids).delete()
            Reminder.objects.filter(pk__in=due_ids).update(
                state=ReminderState.PENDING, due_at=timezone.now() - timedelta(minutes=1),
                claim_token="", claimed_at=None, sent_at=None, attempts=0)
        # Anything else that fell due since (none, unless the seed is days old) stays out of it.
        Reminder.objects.filter(state=ReminderState.PENDING, due_at__lte=timezone.now()).exclude(
            pk__in=due_ids).update(due_at=timezone.now() + timedelta(days=365))

    # --- measuring -------------------------------------------------------------------------------

    def _one_sweep(self) -> tuple[float, int, Any]:
        def deliver(claim: Claim) -> Any:
            return deliver_reminders(claim.ids, claim.token)

        with override_settings(NOTIFICATION_CHANNELS=[]), \
                CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            outcome = sweep(deliver=deliver)
            seconds = time.perf_counter() - started
        return seconds, len(queries), outcome

    def _claim_plan(self) -> str:
        """EXPLAIN ANALYZE of the sweep's claim query as Django sends it, rolled back after."""
        if connection.vendor != "postgresql":
            return ""
        due = Reminder.objects.filter(state=ReminderState.PENDING, due_at__lte=timezone.now())
        if settings.REMINDER_CLAIM_SKIP_LOCKED:
            due = due.select_for_update(skip_locked=True)
        claim = due.order_by("due_at", "id").values_list("id", flat=True)[
            :settings.REMINDER_BATCH_SIZE]
        with transaction.atomic():
            plan = claim.explain(analyze=True, timing=False, summary=True)
            transaction.set_rollback(True)
        lock = " … FOR UPDATE SKIP LOCKED" if settings.REMINDER_CLAIM_SKIP_LOCKED else ""
        return (f"The claim's query (`SELECT id … WHERE state = 'pending' AND due_at <= now "
                f"ORDER BY due_at, id LIMIT {settings.REMINDER_BATCH_SIZE}{lock}`), "
                f"EXPLAIN ANALYZE:\n\n```\n{plan}\n```")

    def _table(self, rows: int, due: int, timings: list[float], queries: list[int],
               delivered: list[int], peak_mb: float) -> str:
        median = statistics.median(timings)
        return "\n".join([
            "| rows in the table | due | delivered | median s | max s | reminders/s | queries | "
            "peak MB |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {rows:,} | {due:,} | {min(delivered):,} | {median:.2f} | {max(timings):.2f} | "
            f"{due / median:,.0f} | {max(queries):,} | {peak_mb:.0f} |",
        ])

    def _write_doc(self, table: str, plan: str) -> None:
        write_section(SECTION, [
            "One sweep claims the due reminders in batches of "
            f"{settings.REMINDER_BATCH_SIZE} and delivers them in-app in the same process "
            "(`manage.py bench_reminders`; `make bench`). Target: 10,000 due among 1,000,000 within "
            "30 s on PostgreSQL. Peak MB: the process's peak resident memory during the sweeps.",
            "", table, "", plan,
        ])
