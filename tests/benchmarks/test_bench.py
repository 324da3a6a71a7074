"""The benchmark harness works (figures are not tested: timings belong to `make bench`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client

from benchmarks import seeding, transitions
from cases.models import Case, Contact, State, TimelineEvent
from notifications.models import Reminder


def test_seeding_tops_up_to_n_cases_and_a_second_run_adds_nothing(db):
    first = seeding.seed(300)
    again = seeding.seed(300)
    more = seeding.seed(450)

    assert (first, again, more) == (300, 0, 150)
    assert seeding.existing_cases() == 450
    assert Case.objects.filter(external_id="bench-449").exists()


def test_the_other_benchmarks_shops_are_neither_counted_nor_seeded_into(db):
    # given the report benchmark's shop with cases of its own (as bench_reports leaves it)
    from cases.models import Kind, Shop

    reports = Shop.objects.create(code="bench-reports", name="Report benchmark")
    Case.objects.bulk_create(Case(shop=reports, kind=Kind.REFUND) for _ in range(30))

    # when the app's benchmark seeds
    added = seeding.seed(50)

    # then it counts and fills only its own five shops
    assert added == 50 and seeding.existing_cases() == 50
    assert Case.objects.filter(shop=reports).count() == 30
    assert [s.code for s in seeding.bench_shops()] == [f"bench-{n}" for n in range(1, 6)]


def test_seeded_cases_cover_every_dispute_state_with_consistent_timelines(db):
    seeding.seed(600)

    states = dict(Case.objects.values_list("state").annotate(n=Count("id")))
    assert set(states) == {s for s, _share, _steps in seeding.STATES}
    assert states[State.CLOSED] > states[State.NEW]
    for case in Case.objects.order_by("id")[:40]:
        events = list(TimelineEvent.objects.filter(case=case).order_by("at", "id"))
        assert events[0].type == "case_opened"
        assert events[-1].to_state == case.state
        assert (case.assignee_id is None) == (case.state == State.NEW)
    open_cases = Case.objects.exclude(state__in=[State.CLOSED, State.RESOLVED])
    assert Reminder.objects.filter(case__in=open_cases, state="pending").count() == \
        2 * open_cases.count()
    assert Contact.objects.exists()


def test_the_seeded_queue_and_case_pages_answer(db):
    seeding.seed(300)
    client = Client()
    client.force_login(Case.objects.exclude(assignee=None).first().assignee)

    assert client.get("/").status_code == 200


def test_a_case_page_costs_the_same_queries_with_a_200_event_timeline_as_with_a_few(
    db, django_assert_num_queries
):
    seeding.seed(300)
    case = Case.objects.filter(state=State.ACKNOWLEDGED).order_by("id").first()
    client = Client()
    client.force_login(case.assignee)
    client.get(f"/cases/{case.pk}/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.pk}/")
    TimelineEvent.objects.bulk_create(
        TimelineEvent(case=case, type="contact_logged", at=case.opened_at + timedelta(minutes=i),
                      from_state=case.state, to_state=case.state) for i in range(200))
    with django_assert_num_queries(len(few)):
        client.get(f"/cases/{case.pk}/")


@pytest.mark.django_db(transaction=True)
def test_two_processes_on_the_same_cases_get_conflicts_never_lost_updates():
    seeding.seed(400)
    ids = transitions.cases_to_cycle("bench-1", 10)
    assert ids, "the seed has understood cases in bench-1"
    since = transitions.now()

    rounds, _wall = transitions.in_processes([ids, ids], "propose", "bench1-boss")

    assert sum(r.done for r in rounds) == len(ids)
    assert sum(r.conflicts for r in rounds) == len(ids)
    assert transitions.lost_updates(ids, since) == 0


@pytest.mark.django_db(transaction=True)
def test_bench_app_runs_end_to_end_on_a_small_seed(capsys):
    call_command("seed_bench", cases=400)
    understood = set(Case.objects.filter(state=State.UNDERSTOOD).values_list("id", flat=True))

    call_command("bench_app", runs=2, transitions=10, no_doc=True)

    out = capsys.readouterr().out
    assert "queue page" in out and "API detail" in out and "two processes" in out
    assert "case page (200-message thread)" in out and "API messages (200-message thread)" in out
    thread = Case.objects.get(pk=Contact.objects.values("case_id").annotate(n=Count("id"))
                              .order_by("-n").values_list("case_id", flat=True)[0])
    assert thread.contacts.count() == 200
    assert thread.contacts.filter(sent_through__state="delivered").count() == 100
    same_cases = [cell.strip() for cell in out.splitlines()[-1].split("|")[1:-1]]
    assert same_cases[0] == "two processes, the same cases"
    assert same_cases[5] == "0"  # lost updates
    assert same_cases[6].endswith(" each")  # each process's peak memory
    # propose and reject cycle the same cases: they end understood, as they began
    assert set(Case.objects.filter(state=State.UNDERSTOOD).values_list("id", flat=True)) == \
        understood


def test_bench_app_says_to_seed_first_on_an_empty_database(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="seed_bench"):
        call_command("bench_app", runs=1, no_doc=True)


def test_measure_counts_the_queries_of_one_request_however_many_it_makes(db):
    from django.contrib.auth.models import User
    from django.db import reset_queries

    from benchmarks.measuring import measure

    def a_request_with_40_queries() -> None:
        reset_queries()  # as every request starts: the connection's query log emptied
        for _ in range(40):
            list(User.objects.all()[:1])

    figure = measure("forty", a_request_with_40_queries, runs=3, floor_sql="SELECT 1")

    assert figure.queries == 40
