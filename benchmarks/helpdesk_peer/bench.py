"""Runner of the side-by-side benchmark against django-helpdesk 2.6.1 (no manage.py: one project, three
steps). From the repository's root, in .venv-peer (`make bench-peer` does all three):

    .venv-peer/bin/python -m benchmarks.helpdesk_peer.bench migrate
    .venv-peer/bin/python -m benchmarks.helpdesk_peer.bench seed --tickets 100000
    .venv-peer/bin/python -m benchmarks.helpdesk_peer.bench measure --runs 30
    .venv-peer/bin/python -m benchmarks.helpdesk_peer.bench load --seconds 20

`measure` times, with our harness (benchmarks/measuring.py), what a staff user's browser requests
on opening the ticket list (the page, then the JSON its table loads rows from) and a ticket's page
with 200 follow-ups, each beside its SQL floor, and writes a section of docs/BENCHMARKS.md. `load`
opens the list under 50 staff users at once, as `manage.py bench_load` does the app's queue
(benchmarks/helpdesk_peer/load.py), and writes a section too."""

from __future__ import annotations

import argparse
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from typing import Any

import django

from benchmarks.helpdesk_peer import plan

FOLLOWUPS = 200  # on the ticket page measured, like our case page's 200-event timeline
LIST_FLOOR = """
    SELECT t.id, t.title, t.priority, t.status, t.created, t.due_date, t.submitter_email, t.kbitem_id,
           q.id, q.title, u.username, u.first_name, u.last_name, u.email,
           (SELECT max(f.date) FROM helpdesk_followup f WHERE f.ticket_id = t.id),
           (SELECT sum(f.time_spent) FROM helpdesk_followup f WHERE f.ticket_id = t.id)
    FROM helpdesk_ticket t JOIN helpdesk_queue q ON q.id = t.queue_id
    LEFT JOIN auth_user u ON u.id = t.assigned_to_id
    WHERE t.status IN (1, 2)
    ORDER BY t.created, t.id LIMIT %s"""
DETAIL_FLOOR = """
    SELECT t.*, q.title, o.username, f.id, f.date, f.title, f.comment, f.public, f.new_status,
           fu.username
    FROM helpdesk_ticket t JOIN helpdesk_queue q ON q.id = t.queue_id
    LEFT JOIN auth_user o ON o.id = t.assigned_to_id
    LEFT JOIN helpdesk_followup f ON f.ticket_id = t.id
    LEFT JOIN auth_user fu ON fu.id = f.user_id
    WHERE t.id = %s ORDER BY f.date, f.id"""


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)


def seed(total: int, batch: int = 2000) -> int:
    """Top the benchmark queues up to `total` tickets with their follow-ups; returns how many were
    added. Each batch goes in with bulk_create in one transaction, tickets first (for their ids)."""
    from django.db import transaction
    from helpdesk.models import FollowUp, Queue, Ticket
    from tqdm import tqdm

    from benchmarks.measuring import settle

    _check_statuses(Ticket)
    queues = [Queue.objects.get_or_create(slug=slug, defaults={"title": title})[0]
              for slug, title in plan.QUEUES]
    staff = _staff()
    have = Ticket.objects.filter(queue__in=queues).count()
    if have >= total:
        return 0
    with _dates_as_given(Ticket), tqdm(total=total - have, unit="ticket") as bar:
        for first in range(have, total, batch):
            plans = [plan.ticket(n) for n in range(first, min(first + batch, total))]
            with transaction.atomic():
                made = Ticket.objects.bulk_create(Ticket(
                    queue=queues[p.queue], title=p.title, submitter_email=p.submitter_email,
                    description=p.description, status=p.status, priority=p.priority,
                    assigned_to=None if p.staff is None else staff[p.staff], created=p.created,
                    modified=p.modified, due_date=p.due_date) for p in plans)
                FollowUp.objects.bulk_create(
                    _followup(FollowUp, ticket, f, staff) for ticket, p in zip(made, plans, strict=True)
                    for f in p.followups)
            bar.update(len(plans))
    settle()  # the planner's statistics and the visibility map, as for our own tables
    return total - have


def measure_all(runs: int, write: bool) -> list[Any]:
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.test import Client
    from django.urls import reverse
    from helpdesk import settings as helpdesk_settings
    from helpdesk.models import FollowUp, Ticket

    from benchmarks.measuring import HEADER, measure

    user = get_user_model().objects.get(username=plan.staff_user(0)["username"])
    ticket = _long_ticket(user)
    client = Client()
    client.force_login(user)
    list_url, json_url, rows = _list_urls(client)
    detail_url = reverse("helpdesk:view", args=[ticket.pk])

    def page_and_json() -> None:
        _ok(client.get(list_url))
        _ok(client.get(json_url))

    figures = [
        measure("ticket list page (HTML; its table loads the rows)",
                 lambda: _ok(client.get(list_url)), runs=runs),
        measure(f"ticket list JSON (open + reopened, by created, {rows} rows)",
                 lambda: _ok(client.get(json_url)), runs=runs, floor_sql=LIST_FLOOR,
                 floor_params=[rows]),
        measure(f"ticket list as opened: page + JSON ({rows} rows)", page_and_json, runs=runs,
                 floor_sql=LIST_FLOOR, floor_params=[rows]),
        measure(f"ticket page ({FOLLOWUPS} follow-ups)", lambda: _ok(client.get(detail_url)),
                 runs=runs, floor_sql=DETAIL_FLOOR, floor_params=[ticket.pk]),
    ]
    for figure in figures:
        print(figure.row())
    counts = Ticket.objects.aggregate(total=Count("id"), open=Count("id", filter=Q(status__in=[1, 2])))
    if write:
        _write(counts, FollowUp.objects.count(), runs, rows, len(plan.columns(
            time_spent=helpdesk_settings.HELPDESK_ENABLE_TIME_SPENT_ON_TICKET,
            kbitem=helpdesk_settings.HELPDESK_KB_ENABLED)),
               [*HEADER, *(f.row() for f in figures)], figures)
    return figures


def _list_urls(client: Any) -> tuple[str, str, int]:
    """The list page, the JSON its table loads the rows from (as the page renders its URL and page
    length, with the query DataTables sends), and the rows a page holds; checked against the floor."""
    from django.urls import reverse
    from helpdesk import settings as helpdesk_settings

    list_url = reverse("helpdesk:list")
    html = _ok(client.get(list_url)).content.decode()
    json_path = re.search(r'"url": "(/datatables_ticket_list/[^"]+)"', html)
    length = re.search(r"data-page-length='(\d+)'", html)
    if not json_path or not length:
        raise SystemExit("The ticket list page has no datatables URL or page length: has it changed?")
    rows = int(length[1])
    json_url = f"{json_path[1]}?" + plan.datatables_query(
        rows, time_spent=helpdesk_settings.HELPDESK_ENABLE_TIME_SPENT_ON_TICKET,
        kbitem=helpdesk_settings.HELPDESK_KB_ENABLED)
    _check_rows(_ok(client.get(json_url)).json(), rows)
    return list_url, json_url, rows


def load_all(seconds: int, warmup: int, connections: int, write: bool) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from helpdesk.models import Ticket

    from benchmarks import wrk
    from benchmarks.helpdesk_peer import load

    client = Client()
    client.force_login(get_user_model().objects.get(username=plan.staff_user(0)["username"]))
    list_url, json_url, rows = _list_urls(client)
    load_before = os.getloadavg()
    result = load.run(list_url, json_url, seconds=seconds, warmup=warmup, connections=connections)
    row = f"| {load.WHAT.format(rows=rows)} | {wrk.cells(result)} |"
    print(row)
    if write:
        _write_load(Ticket.objects.count(), result, row, seconds, connections, load_before)
    return result


def _write_load(total: int, result: Any, row: str, seconds: int, connections: int,
                load_before: tuple[float, ...]) -> None:
    from benchmarks import wrk
    from benchmarks.document import DOC, write_section
    from benchmarks.helpdesk_peer import load

    peer = version("django-helpdesk")
    ours = f"## Under load: 50 agents at {total:,} cases"
    queue = plan.our_row(DOC.read_text() if DOC.exists() else "", ours, "queue page")
    # Our row's cells: the scenario, then wrk.COLUMNS (req/s, p50, p90, p99, max, requests, errors…).
    compared = (f"this app's queue page in its own run (“{ours[3:]}”): {queue[1]} req/s, "
                f"p99 {queue[4]} ms, errors {queue[7]}; one queue page is one request, one list "
                "here two." if queue else f"this app's own run: “{ours[3:]}”.")
    write_section(f"## Under load: django-helpdesk {peer} at {total:,} tickets", [
        wrk.machine_load(load_before), "",
        f"`bench.py load` (`make bench-peer`): gunicorn with {load.workers()} sync "
        "workers (as many as config/gunicorn.conf.py gives the app), DEBUG off, on a free loopback "
        f"port, on the tickets of “Side by side” above; {connections} staff users each with their "
        f"own session, one wrk connection each (`benchmarks/helpdesk_peer/load.lua`), {seconds} s "
        "after a warm-up. Each connection opens the list as a browser does, again and again: the "
        "page, then the JSON its table loads the rows from; a request is one of the two. Errors: "
        "answers neither 2xx nor 3xx, socket errors and timeouts (10 s); the latencies are those of "
        "the answers that came within the timeout (wrk keeps none of a later one).",
        "", f"| what | {wrk.COLUMNS} |", f"| --- | {wrk.ALIGN} |", row, "",
        *([f"Every one of the {result.requests:,} answers of the run came after more than "
           f"{wrk.TIMEOUT_SECONDS} s (wrk counts each a timeout and keeps no latency for it): with "
           f"{connections} staff users opening the list at once, each waits behind the others' "
           "requests, each of which costs a worker about half a second of CPU (“Side by side” "
           "above).", ""] if result.requests and result.timeouts >= result.requests else []),
        f"Beside it, {compared}",
    ])


def _write(counts: dict[str, int], followups: int, runs: int, rows: int, columns: int,
           table: list[str], figures: list[Any]) -> None:
    from benchmarks.document import DOC, write_section

    total, peer = counts["total"], version("django-helpdesk")
    ours = f"## The app at {total:,} cases"
    doc = DOC.read_text() if DOC.exists() else ""
    queue, case = plan.our_row(doc, ours, "queue page"), plan.our_row(doc, ours, "case page")

    def cell(figure: Any) -> str:
        return f"{figure.median_ms:.1f} ms, {figure.queries} queries"

    def our_cell(row: list[str] | None) -> str:
        return f"{row[1]} ms, {row[3]} queries: {row[0]}" if row else f"see “{ours[3:]}”"

    write_section(f"## Side by side: django-helpdesk {peer} at {total:,} tickets", [
        f"django-helpdesk {peer} from PyPI in a venv of its own (`.venv-peer`; "
        "benchmarks/helpdesk_peer/, `make bench-peer`) on the same Django, DRF and psycopg as the app, "
        "on a database of its own (`helpdesk_bench`), measured with the same harness: each request "
        f"{runs} times in one process through Django's test client, median and max; queries of one "
        "request; peak MB of Python allocations during one request; the SQL floor, the same rows by "
        f"one hand-written query. Seeded ({total:,} tickets, {counts['open']:,} of them open or "
        f"reopened, {followups:,} follow-ups): {plan.described()}; the ticket measured has "
        f"{FOLLOWUPS}. Settings: django-helpdesk's defaults (knowledge base and time spent on, "
        "per-queue permissions off) except teams mode, off as in its own demo since it needs the "
        "optional pinax-teams apps; DEBUG off, as for our figures. The user is staff, not "
        "superuser: django-helpdesk needs no more for the list and the ticket page of any queue.",
        "",
        "Opening the list is two requests: the page (filters and an empty table) and the one its "
        "DataTables script sends for the rows, as the page renders it: `GET /datatables_ticket_list/"
        "<the page's query in base64: open and reopened, sort by created>?draw=1&columns[0][data]=id"
        f"&…&start=0&length={rows}&search[value]=&search[regex]=false&_=<time>`, with data, name, "
        f"searchable, orderable and search for each of the table's {columns} columns and no order "
        "(`order: []`), so the server sorts by created, oldest first. The JSON's floor leaves out the "
        "two COUNT(*) of its paging; the ticket page's floor is the ticket, its queue and owner, and "
        "its follow-ups with their authors.",
        "", *table, "",
        "Where the time goes, in django-helpdesk 2.6.1: the JSON's rows query (SELECT DISTINCT over "
        "every column, last_followup as a window subquery) and its two identical COUNT(*) each go "
        "through all open and reopened tickets (its schema has no index on status or created, so "
        "the floor scans them too), and each row then costs 3 queries (owner, time spent, open "
        "dependencies); the ticket page makes 2 to 3 queries per follow-up (attachments, changes, "
        "author).",
        "",
        f"| | django-helpdesk {peer}, {total:,} tickets | this app, {total:,} cases |",
        "| --- | --- | --- |",
        f"| the list as a user opens it | {cell(figures[2])} ({rows} rows) | {our_cell(queue)} |",
        f"| one item with {FOLLOWUPS} entries | {cell(figures[3])} | {our_cell(case)} |",
    ])


def _followup(model: Any, ticket: Any, f: plan.FollowUpPlan, staff: list[Any]) -> Any:
    return model(ticket=ticket, date=f.date, title=f.title, comment=f.comment, public=f.public,
                  user=None if f.staff is None else staff[f.staff], new_status=f.new_status)


def _staff() -> list[Any]:
    """The 50 staff users (created one by one, so django-helpdesk's signal gives each its settings)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    users = []
    for i in range(plan.STAFF):
        fields = plan.staff_user(i)
        username = fields.pop("username")
        users.append(get_user_model().objects.get_or_create(username=username, defaults={
            **fields, "is_staff": True, "password": make_password(None)})[0])
    return users


def _long_ticket(user: Any) -> Any:
    """The user's first open ticket, its follow-ups topped up to FOLLOWUPS."""
    from helpdesk.models import FollowUp, Ticket

    ticket = Ticket.objects.filter(assigned_to=user, status=plan.OPEN).order_by("id").first()
    if ticket is None:
        raise SystemExit("No open ticket of staff01: seed first (bench seed --tickets N).")
    have = FollowUp.objects.filter(ticket=ticket).count()
    FollowUp.objects.bulk_create(_followup(FollowUp, ticket, plan.extra_followup(i, ticket.created, 0),
                                           [user]) for i in range(have, FOLLOWUPS))
    return ticket


@contextmanager
def _dates_as_given(model: Any) -> Iterator[None]:
    """Ticket.created and .modified are auto_now(_add): bulk_create would stamp every row with now.
    Off while seeding, so tickets keep the dates of their plan."""
    fields = [model._meta.get_field("created"), model._meta.get_field("modified")]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (now, now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = now, now_add


def _check_statuses(ticket: Any) -> None:
    used = (ticket.OPEN_STATUS, ticket.REOPENED_STATUS, ticket.RESOLVED_STATUS, ticket.CLOSED_STATUS)
    if used != (plan.OPEN, plan.REOPENED, plan.RESOLVED, plan.CLOSED):
        raise SystemExit("django-helpdesk's status codes are not its defaults: plan.py needs updating.")


def _check_rows(data: dict[str, Any], rows: int) -> None:
    """The JSON holds the floor's rows, in its order."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(LIST_FLOOR, [rows])
        floor = [row[0] for row in cursor.fetchall()]
    got = [row["id"] for row in data["data"]]
    if got != floor:
        raise SystemExit(f"The JSON's rows are not the floor's: {got[:5]}… vs {floor[:5]}…")


def _ok(response: Any) -> Any:
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code}: {response.content[:200]!r}")
    return response


def _timed(label: str, step: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = step()
    print(f"{label}: {time.perf_counter() - started:.1f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("migrate")
    seeding = steps.add_parser("seed")
    seeding.add_argument("--tickets", type=int, default=100_000)
    seeding.add_argument("--batch", type=int, default=2000)
    measuring = steps.add_parser("measure")
    measuring.add_argument("--runs", type=int, default=30)
    measuring.add_argument("--no-doc", action="store_true")
    loading = steps.add_parser("load")
    loading.add_argument("--seconds", type=int, default=20)
    loading.add_argument("--warmup", type=int, default=3)
    loading.add_argument("--connections", type=int, default=50)
    loading.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.helpdesk_peer.settings")
    django.setup()
    if args.step == "migrate":
        migrate()
    elif args.step == "seed":
        added = _timed(f"seed to {args.tickets:,} tickets", lambda: seed(args.tickets, args.batch))
        print(f"{added:,} tickets added")
    elif args.step == "load":
        load_all(args.seconds, args.warmup, args.connections, write=not args.no_doc)
    else:
        measure_all(args.runs, write=not args.no_doc)


if __name__ == "__main__":
    main()
