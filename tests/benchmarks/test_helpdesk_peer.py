"""The peer benchmark's plan (benchmarks/helpdesk_peer/plan.py) without django-helpdesk: tickets are
the same on every run, in the proportions the doc states, and the list's request is the page's."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from statistics import mean
from urllib.parse import parse_qsl

from benchmarks.helpdesk_peer import plan


def test_ticket_n_is_the_same_whichever_run_makes_it():
    assert plan.ticket(41) == plan.ticket(41)
    assert plan.ticket(41) != plan.ticket(42)


def test_tickets_come_in_the_stated_proportions_with_one_to_five_follow_ups():
    tickets = [plan.ticket(n) for n in range(4000)]

    statuses = Counter(t.status for t in tickets)
    for status, share in plan.STATUSES:
        assert abs(statuses[status] / len(tickets) - share) < 0.03
    counts = [len(t.followups) for t in tickets]
    assert (min(counts), max(counts)) == plan.FOLLOWUPS
    assert abs(mean(counts) - 3) < 0.1
    assert {t.queue for t in tickets} == set(range(len(plan.QUEUES)))
    assert all(t.staff is not None for t in tickets if t.status in (plan.RESOLVED, plan.CLOSED))


def test_follow_ups_open_the_ticket_then_follow_in_time_and_end_on_its_status():
    for ticket in (plan.ticket(n) for n in range(500)):
        first, last = ticket.followups[0], ticket.followups[-1]
        dates = [f.date for f in ticket.followups]
        assert (first.title, first.date) == ("Ticket Opened", ticket.created)
        assert dates == sorted(dates) and ticket.modified == last.date
        if len(ticket.followups) > 1 and ticket.status != plan.OPEN:
            assert last.new_status == ticket.status
        if ticket.status in (plan.OPEN, plan.REOPENED):
            assert ticket.created >= plan.ANCHOR - timedelta(days=60)


def test_the_list_request_is_what_datatables_sends_on_opening_the_page():
    sent = parse_qsl(plan.datatables_query(25), keep_blank_values=True)
    params = dict(sent)

    assert (params["draw"], params["start"], params["length"]) == ("1", "0", "25")
    assert params["search[value]"] == "" and not any(key.startswith("order") for key, _ in sent)
    assert [params[f"columns[{i}][data]"] for i in range(12)] == plan.columns()
    assert params["columns[0][orderable]"] == "false"
    assert "columns%5B0%5D%5Bdata%5D=id" in plan.datatables_query(25)
    assert len(plan.columns(time_spent=False, kbitem=False)) == 10


def test_our_figures_are_read_from_their_own_section_only():
    doc = ("# Benchmarks\n\n## The app at 1,000 cases\n\n| what | median ms |\n"
           "| queue page (50 rows) | 9.5 | 12.0 | 9 |\n\n## Other\n\n| queue page (x) | 1 | 2 | 3 |\n")

    assert plan.our_row(doc, "## The app at 1,000 cases", "queue page") == \
        ["queue page (50 rows)", "9.5", "12.0", "9"]
    assert plan.our_row(doc, "## The app at 1,000 cases", "case page") is None
    assert plan.our_row(doc, "## The app at 5 cases", "queue page") is None
