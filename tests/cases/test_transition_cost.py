"""A transition is the hot path of a busy shop (docs/BENCHMARKS.md): it writes only what it changed
and reads the reminders again only when a deadline moved."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.models import Case
from notifications.models import Reminder, ReminderKind, ReminderState
from tests.factories import open_case, walk


def statements_of(name: str, case: Case, by, **data) -> list[str]:
    """The SQL a transition runs, savepoints left out."""
    with CaptureQueriesContext(connection) as queries:
        services.run_transition(case_id=case.pk, name=name, by=by, data=data)
    return [q["sql"] for q in queries.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_a_transition_that_moves_no_deadline_locks_updates_and_writes_its_event(shop, agent):
    # given an acknowledged case (first response made) and an agent whose roles are loaded
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    reminders_before = list(Reminder.objects.filter(case=case).values_list("id", "state"))

    # when the agent calms the buyer (no deadline moves)
    sql = statements_of("calm", case, agent, note="Apologised for the wait.")

    # then: the case read under lock, one UPDATE, one timeline INSERT, and nothing else
    assert [s.split()[0] for s in sql] == ["SELECT", "UPDATE", "INSERT"]
    assert '"cases_timelineevent"' in sql[2]
    assert list(Reminder.objects.filter(case=case).values_list("id", "state")) == reminders_before


def test_a_transition_updates_only_the_columns_it_changed(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    update = next(s for s in statements_of("calm", case, agent, note="Sorry.") if
                  s.startswith("UPDATE"))

    assert '"state"' in update and '"updated_at"' in update
    for untouched in ('"description"', '"claimed_amount"', '"opened_at"', '"external_id"'):
        assert untouched not in update
    assert Case.objects.get(pk=case.pk).state == "calmed"


def test_a_transition_that_moves_a_deadline_brings_the_reminders_in_line(shop, agent):
    # given a case on its way to a resolution
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen", "propose")
    assert not Reminder.objects.filter(case=case, kind=ReminderKind.FOLLOW_UP_DUE).exists()

    # when the buyer accepts (the resolution schedules the follow-up call)
    resolved = services.run_transition(case_id=case.pk, name="accept", by=agent, data={})

    # then the follow-up call is a pending reminder, and the resolution's reminders are cancelled
    follow_up = Reminder.objects.get(case=case, kind=ReminderKind.FOLLOW_UP_DUE)
    assert (follow_up.state, follow_up.due_at) == (ReminderState.PENDING, resolved.follow_up_due_at)
    assert not Reminder.objects.filter(case=case, deadline="resolution",
                                       state=ReminderState.PENDING).exists()
