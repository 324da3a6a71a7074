"""Benchmark the app on the seeded benchmark shops (manage.py seed_bench): the queue page and the
API list, the case page and the API detail of a case with a 200-event timeline, the case page and
the conversation (GET …/messages/) of a case with a 200-message thread, transitions per
second in one and two processes with the conflict rate; each beside its SQL floor. Writes a section
of docs/BENCHMARKS.md.

    manage.py seed_bench --cases 100000 && manage.py bench_app --runs 30
"""

from __future__ import annotations

import statistics
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client, override_settings
from rest_framework.test import APIClient

from benchmarks import seeding, transitions
from benchmarks.document import write_section
from benchmarks.live import live_figures
from benchmarks.measuring import HEADER, Figure, measure
from cases.models import ApiToken, Case, Shop, State, TimelineEvent, token_digest
from cases.services.tokens import create_api_token

TIMELINE = 200
THREAD = 200
AGENT, SUPERVISOR, SHOP = "bench1-agent1", "bench1-boss", "bench-1"
BENCH_TOKEN = "bench-api-token"  # the benchmark's own shops only; never a real shop's

# Each floor fetches what the response shows, in one hand-written query. The queue page: its 50
# rows, the counts per state of the tab (their sum is the pages' total) and the unread bell.
QUEUE_FLOOR = """
    SELECT m.id, m.kind, m.state, m.next_due_at, m.claimed_amount, cu.handle, o.number,
           o.currency, s.time_zone, counts.by_state, unread.n
    FROM (SELECT c.id, c.kind, c.state, c.next_due_at, c.claimed_amount, c.shop_id,
                 c.customer_id, c.order_id
          FROM cases_case c WHERE c.assignee_id = %(user)s AND c.state <> 'closed'
          ORDER BY c.next_due_at ASC NULLS LAST, c.id LIMIT 50) m
    JOIN cases_shop s ON s.id = m.shop_id
    LEFT JOIN cases_customer cu ON cu.id = m.customer_id
    LEFT JOIN cases_order o ON o.id = m.order_id
    CROSS JOIN (SELECT {json_object_agg}(state, n) AS by_state
                FROM (SELECT state, count(*) AS n FROM cases_case
                      WHERE assignee_id = %(user)s AND state <> 'closed' GROUP BY state) g) counts
    CROSS JOIN (SELECT count(*) AS n FROM notifications_notification
                WHERE recipient_id = %(user)s AND read_at IS NULL) unread
    ORDER BY m.next_due_at ASC NULLS LAST, m.id"""
JSON_OBJECT_AGG = {"postgresql": "json_object_agg", "sqlite": "json_group_object"}
# The API list: its 50 rows and the count of all that match.
LIST_FLOOR = """
    SELECT c.id, c.kind, c.state, c.next_due_at, c.claimed_amount, cu.handle, o.number,
           o.paid_amount, s.code, u.username, total.n
    FROM cases_case c JOIN cases_shop s ON s.id = c.shop_id
    LEFT JOIN cases_customer cu ON cu.id = c.customer_id
    LEFT JOIN cases_order o ON o.id = c.order_id
    LEFT JOIN auth_user u ON u.id = c.assignee_id
    CROSS JOIN (SELECT count(*) AS n FROM cases_case
                WHERE shop_id = %(shop)s AND state = 'acknowledged') total
    WHERE c.shop_id = %(shop)s AND c.state = 'acknowledged'
    ORDER BY c.next_due_at ASC NULLS LAST, c.id LIMIT 50"""
# A case page: the case and its timeline.
DETAIL_FLOOR = """
    SELECT c.*, e.id, e.type, e.at, e.from_state, e.to_state, e.data
    FROM cases_case c LEFT JOIN cases_timelineevent e ON e.case_id = c.id
    WHERE c.id = %(case)s ORDER BY e.at, e.id"""
# The conversation: the case's messages with their author and delivery state.
THREAD_FLOOR = """
    SELECT m.id, m.direction, m.channel, m.body, m.at, m.phrase_hits, u.username, w.state
    FROM cases_contact m LEFT JOIN auth_user u ON u.id = m.by_id
    LEFT JOIN cases_outgoingwebhook w ON w.id = m.sent_through_id
    WHERE m.case_id = %(case)s ORDER BY m.at, m.id"""


class Command(BaseCommand):
    help = "Measure the pages, the API and transitions on the benchmark shops (seed_bench first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30, help="Repetitions of each request.")
        parser.add_argument("--transitions", type=int, default=600,
                            help="Cases cycled through propose and reject.")
        parser.add_argument("--transition-runs", type=int, default=3,
                            help="Rounds of transitions (median and max).")
        parser.add_argument("--no-doc", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        # Measured as production runs: DEBUG off, so the connection logs no query but those the
        # harness counts (`make bench` sets DEBUG=1 only so that settings load without a secret).
        with override_settings(DEBUG=False):
            self._measure_all(options)

    def _measure_all(self, options: dict[str, Any]) -> None:
        total = seeding.existing_cases()
        if total == 0:
            raise CommandError("No benchmark cases: run manage.py seed_bench --cases N first.")
        users = get_user_model().objects.in_bulk([AGENT, SUPERVISOR], field_name="username")
        agent, boss = users[AGENT], users[SUPERVISOR]
        shop_id = Case.objects.filter(shop__code=SHOP).values_list("shop_id", flat=True).first()
        case = self._long_timeline_case(agent)
        thread = seeding.long_thread_case(agent, THREAD)
        if thread is None:
            raise CommandError("Fewer than two acknowledged cases of bench1-agent1: seed more.")
        runs = options["runs"]
        pages, api = Client(SERVER_NAME="localhost"), APIClient(SERVER_NAME="localhost")
        pages.force_login(agent)  # a session, as a browser has: each request loads the user
        # An integration's token, as the API is used: each request loads the token and its user.
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {self._token(boss)}")
        list_url = "/api/v1/cases/?state=acknowledged&ordering=next_due_at&page_size=50"
        figures = [
            measure("queue page (my open cases, 50 rows)", lambda: self._ok(pages.get("/")),
                    runs=runs, floor_sql=QUEUE_FLOOR.format(json_object_agg=JSON_OBJECT_AGG[
                        connection.vendor]), floor_params={"user": agent.pk}),
            measure("API list (state, by deadline, 50 rows)", lambda: self._ok(api.get(list_url)),
                    runs=runs, floor_sql=LIST_FLOOR, floor_params={"shop": shop_id}),
            measure(f"case page ({TIMELINE}-event timeline)",
                    lambda: self._ok(pages.get(f"/cases/{case.pk}/")),
                    runs=runs, floor_sql=DETAIL_FLOOR, floor_params={"case": case.pk}),
            measure(f"API detail ({TIMELINE}-event timeline)",
                    lambda: self._ok(api.get(f"/api/v1/cases/{case.pk}/")),
                    runs=runs, floor_sql=DETAIL_FLOOR, floor_params={"case": case.pk}),
            measure(f"case page ({THREAD}-message thread)",
                    lambda: self._ok(pages.get(f"/cases/{thread.pk}/")),
                    runs=runs, floor_sql=THREAD_FLOOR, floor_params={"case": thread.pk}),
            measure(f"API messages ({THREAD}-message thread)",
                    lambda: self._ok(api.get(f"/api/v1/cases/{thread.pk}/messages/")),
                    runs=runs, floor_sql=THREAD_FLOOR, floor_params={"case": thread.pk}),
            *live_figures(pages, runs),
        ]
        for figure in figures:
            self.stdout.write(figure.row())
        rates = self._transitions(options["transitions"], options["transition_runs"])
        for line in rates:
            self.stdout.write(line)
        if not options["no_doc"]:
            self._write(total, figures, rates, runs)

    def _ok(self, response: Any) -> Any:
        if response.status_code != 200:
            raise CommandError(f"{response.status_code}: {response.content[:200]!r}")
        return response

    def _token(self, boss: Any) -> str:
        """The benchmark's API token for bench-1's supervisor (made once, found again after)."""
        if not ApiToken.objects.filter(digest=token_digest(BENCH_TOKEN)).exists():
            create_api_token(shop=Shop.objects.get(code=SHOP), user=boss, name="benchmark",
                             by=None, raw=BENCH_TOKEN)
        return BENCH_TOKEN

    def _long_timeline_case(self, agent: Any) -> Case:
        """The agent's first acknowledged case, its timeline topped up to 200 events."""
        case = (Case.objects.filter(assignee=agent, state=State.ACKNOWLEDGED).order_by("id")
                .first())
        if case is None:
            raise CommandError("No acknowledged case of bench1-agent1: seed more cases.")
        have = TimelineEvent.objects.filter(case=case).count()
        TimelineEvent.objects.bulk_create(
            TimelineEvent(case=case, type="contact_logged", actor=agent,
                          at=case.opened_at + timedelta(minutes=i), from_state=case.state,
                          to_state=case.state, data={"channel": "chat", "note": f"message {i}"})
            for i in range(have, TIMELINE))
        return case

    def _transitions(self, count: int, runs: int) -> list[str]:
        """Rates as median and max over `runs` rounds: one process proposes and rejects each case,
        two processes each propose half of them (then one process rejects them back). Then two
        processes propose the same cases at once: every case must be proposed exactly once."""
        ids = transitions.cases_to_cycle(SHOP, count)
        if len(ids) < 4:
            return ["(too few understood cases in bench-1 to measure transitions)"]
        half = len(ids) // 2
        single, two, single_peak, two_peak = [], [], 0.0, 0.0
        for _ in range(runs):
            forward = transitions.run_round(ids, "propose", SUPERVISOR)
            back = transitions.run_round(ids, "reject", SUPERVISOR)
            single.append((forward.done + back.done) / (forward.seconds + back.seconds))
            single_peak = max(single_peak, forward.peak_mb, back.peak_mb)
            apart, wall = transitions.in_processes([ids[:half], ids[half:]], "propose", SUPERVISOR)
            two.append(sum(r.done for r in apart) / wall)
            two_peak = max(two_peak, *(r.peak_mb for r in apart))
            transitions.run_round(ids, "reject", SUPERVISOR)
        since = transitions.now()
        rounds, _wall = transitions.in_processes([ids, ids], "propose", SUPERVISOR)
        attempts = sum(r.done + r.conflicts for r in rounds)
        conflicts = sum(r.conflicts for r in rounds)
        lost = transitions.lost_updates(ids, since)
        transitions.run_round(ids, "reject", SUPERVISOR)
        return [
            "| transitions | cases | median /s | max /s | conflicts (409) | lost updates | peak MB |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| one process (propose, then reject) | {len(ids)} | {statistics.median(single):.0f} | "
            f"{max(single):.0f} | 0 | 0 | {single_peak:.0f} |",
            f"| two processes, different cases | {len(ids)} | {statistics.median(two):.0f} | "
            f"{max(two):.0f} | 0 | 0 | {two_peak:.0f} each |",
            f"| two processes, the same cases | {len(ids)} | — | — | {conflicts} of {attempts} "
            f"({conflicts / attempts:.0%}) | {lost} | {max(r.peak_mb for r in rounds):.0f} each |",
        ]

    def _write(self, total: int, figures: list[Figure], rates: list[str], runs: int) -> None:
        write_section(f"## The app at {total:,} cases", [
            f"`manage.py seed_bench --cases {total}` then `manage.py bench_app` (`make bench`), "
            f"{total:,} cases in the five benchmark shops, {Case.objects.count():,} in the "
            "database (with the other benchmarks' shops): "
            f"each request {runs} times in one process through Django's test client (middleware, "
            "templates and serializers included; no network; DEBUG off, as in production), median "
            "and max; queries of one "
            "request; peak MB of Python allocations during one request (of the process, resident, for "
            "transitions); the SQL floor is the same "
            "data the response shows (rows and counts) fetched by one hand-written query through the "
            "same connection. The API is called with an integration's Bearer token, the pages with "
            "a logged-in session. Targets: queue "
            "page and API list ≤ 30 ms and ≤ 10 queries, case page ≤ 50 ms with a query count "
            "independent of the timeline and of the thread (a case with a 200-message "
            "conversation: the buyer and the agent in turn, each agent's message carried by a "
            "delivered outgoing event), ≥ 300 transitions/s in one process, conflicts as 409s "
            "and no lost updates.",
            "", *HEADER, *[f.row() for f in figures], "", *rates])
