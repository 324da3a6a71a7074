"""A deadline that passes escalates its case once, as the system: the cases' own sweep (the
reminders only tell people; tests/notifications/test_breach_notices.py)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from cases import services
from cases.models import Case, State
from notifications.models import Notification, ReminderKind
from tests.factories import open_case, reach_buyer, walk
from tests.notifications.helpers import deliver_due, later


def escalate_due(now=None, **kwargs) -> services.escalation.EscalationReport:
    """One escalation sweep at `now` (default: the real now), as the beat task runs it."""
    return services.escalate_breached_cases(now=now, **kwargs)


def state_of(case: Case) -> str:
    return Case.objects.get(pk=case.pk).state


def test_a_case_nobody_answered_is_escalated_by_the_system_when_its_first_response_is_due(
    db, shop, agent
):
    # given a new refund case (first response within 24 hours)
    case = open_case(shop, by=None)

    # when the sweep runs an hour after the first-response deadline
    escalate_due(now=later(hours=25))

    # then the system escalated it, with the reason on the timeline
    assert state_of(case) == State.ESCALATED
    event = case.timeline.get(type="escalate")
    assert event.actor is None
    assert "first-response deadline" in event.data["reason"]


def test_a_breach_escalates_each_case_once_however_often_the_sweep_runs(db, shop, agent):
    overdue = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")
    with time_machine.travel(later(hours=73), tick=False):
        on_time = walk(open_case(shop, by=agent), agent, "acknowledge")
        escalate_due()
        escalate_due()

    assert state_of(overdue) == State.ESCALATED
    assert overdue.timeline.filter(type="escalate").count() == 1
    assert state_of(on_time) == State.ACKNOWLEDGED


def test_answered_and_resolved_cases_are_not_escalated(db, shop, agent):
    answered = walk(open_case(shop, by=agent), agent, "acknowledge")
    resolved = walk(open_case(shop, by=agent), agent,
                    "acknowledge", "calm", "listen", "propose", "accept")

    escalate_due(now=later(hours=25))
    assert state_of(answered) == State.ACKNOWLEDGED

    escalate_due(now=later(hours=80))
    assert state_of(resolved) == State.RESOLVED


def test_the_sweep_takes_bounded_batches_oldest_deadline_first(db, shop):
    # three cases past their first response
    cases = [open_case(shop, by=None) for _ in range(3)]

    first = escalate_due(now=later(hours=25), batch_size=2, max_batches=1)
    rest = escalate_due(now=later(hours=25), batch_size=2)

    assert first.escalated == [c.pk for c in cases[:2]]
    assert rest.escalated == [cases[2].pk]
    assert Case.objects.filter(state=State.ESCALATED).count() == 3


def test_the_sweep_reads_only_cases_it_may_escalate(db, shop, agent, django_assert_max_num_queries):
    # a resolved case past its first-response deadline is not read, let alone locked
    resolved = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen", "propose", "accept")

    with django_assert_max_num_queries(1):
        report = escalate_due(now=later(days=30))

    assert report.checked == 0
    assert state_of(resolved) == State.RESOLVED


def test_the_breach_rule_in_the_query_and_in_python_agree(db, shop, agent, teammate, supervisor):
    from cases import deadlines
    from cases.workflows import state_allows, states_allowing

    cases = [
        open_case(shop, by=None),
        walk(open_case(shop, by=agent), agent, "acknowledge"),
        walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen"),
        walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen", "propose", "accept"),
        walk(open_case(shop, by=agent), agent, "escalate"),
    ]
    services.pause_clock(case_id=cases[1].pk, by=agent, data={"reason": "waiting for photos"})
    for hours in (1, 25, 37, 73, 200):
        now = later(hours=hours)
        by_query = set(Case.objects.filter(deadlines.breached_unescalated(now), states_allowing("escalate"))
                       .values_list("pk", flat=True))
        by_python = {c.pk for c in Case.objects.all()
                     if deadlines.breach_to_escalate(c, now) and state_allows(c, "escalate")}
        assert by_query == by_python, hours


def test_a_breach_escalates_once_even_after_the_supervisor_proposes_a_remedy(db, shop, agent,
                                                                              supervisor):
    # given a case escalated by the sweep after its resolution deadline passed
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")
    with time_machine.travel(later(hours=73), tick=False):
        escalate_due()
        assert state_of(case) == State.ESCALATED

        # when the supervisor proposes a remedy from the escalation
        walk(case, supervisor, "propose")

        # then the same breach does not escalate it again
        escalate_due()
    assert state_of(case) == State.PROPOSED


def test_a_hand_over_gives_the_new_agent_a_fresh_resolution_clock(db, shop, agent, teammate,
                                                                 supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    with time_machine.travel(later(hours=73), tick=False):
        escalate_due()
        handed = services.run_transition(case_id=case.pk, name="hand_over", by=supervisor,
                                         data={"to": teammate.username, "reason": "deadlocked"})

        assert handed.resolution_due_at > timezone.now()
        escalate_due()
        deliver_due()
    assert state_of(case) == State.ACKNOWLEDGED
    # and the new agent heard of it at once
    assert Notification.objects.filter(recipient=teammate, kind=ReminderKind.HANDED_OVER,
                                       case_id=case.pk).count() == 1


def test_a_reopened_case_gets_a_fresh_resolution_clock(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent,
                "acknowledge", "calm", "listen", "propose", "accept")
    reach_buyer(case, agent)
    case = walk(case, agent, "close")
    with time_machine.travel(later(days=3), tick=False):
        reopened = walk(case, agent, "reopen")
        assert reopened.resolution_due_at > timezone.now() + timedelta(hours=71)
        escalate_due()
    assert state_of(case) == State.ACKNOWLEDGED


def test_a_review_case_whose_buyer_was_called_in_time_is_not_escalated_for_first_response(
    db, shop, agent
):
    from tests.reviews.factories import open_review_case

    called = open_review_case(shop, agent)
    services.log_contact(case_id=called.pk, by=agent, data={
        "channel": "call", "direction": "outbound", "outcome": "no_answer"})
    ignored = open_review_case(shop, agent)

    escalate_due(now=later(hours=25))

    assert state_of(called) == State.NEW
    assert state_of(ignored) == State.ESCALATED
