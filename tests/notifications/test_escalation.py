"""A deadline that passes escalates its case once, as the system, through the breach reminder."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from cases import services
from cases.models import Case, State
from notifications.models import Notification, Reminder, ReminderKind
from tests.factories import open_case, reach_buyer, walk
from tests.notifications.helpers import deliver_due, later


def state_of(case: Case) -> str:
    return Case.objects.get(pk=case.pk).state


def test_a_case_nobody_answered_is_escalated_by_the_system_when_its_first_response_is_due(
    db, shop, agent
):
    # given a new refund case (first response within 24 hours)
    case = open_case(shop, by=None)

    # when the sweep runs an hour after the first-response deadline
    deliver_due(now=later(hours=25))

    # then the system escalated it, with the reason on the timeline
    assert state_of(case) == State.ESCALATED
    event = case.timeline.get(type="escalate")
    assert event.actor is None
    assert "first-response deadline" in event.data["reason"]


def test_a_breach_escalates_each_case_once_however_often_the_sweep_runs(db, shop, agent):
    overdue = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")
    with time_machine.travel(later(hours=73), tick=False):
        on_time = walk(open_case(shop, by=agent), agent, "acknowledge")
        deliver_due()
        deliver_due()

    assert state_of(overdue) == State.ESCALATED
    assert overdue.timeline.filter(type="escalate").count() == 1
    assert state_of(on_time) == State.ACKNOWLEDGED


def test_answered_and_resolved_cases_are_not_escalated(db, shop, agent):
    answered = walk(open_case(shop, by=agent), agent, "acknowledge")
    resolved = walk(open_case(shop, by=agent), agent,
                    "acknowledge", "calm", "listen", "propose", "accept")

    deliver_due(now=later(hours=25))
    assert state_of(answered) == State.ACKNOWLEDGED

    deliver_due(now=later(hours=80))
    assert state_of(resolved) == State.RESOLVED


def test_the_sweep_takes_bounded_batches(db, shop):
    # three cases past their first response: a warning and a breach each are due
    for _ in range(3):
        open_case(shop, by=None)
    due = Reminder.objects.filter(due_at__lte=later(hours=25), state="pending")
    assert due.count() == 6

    report = deliver_due(now=later(hours=25), batch_size=2, max_batches=1)

    assert report.claimed == 2
    assert due.count() == 4
    deliver_due(now=later(hours=25), batch_size=2)
    assert due.count() == 0
    assert Case.objects.filter(state=State.ESCALATED).count() == 3


def test_a_breach_escalates_once_even_after_the_supervisor_proposes_a_remedy(db, shop, agent,
                                                                              supervisor):
    # given a case escalated by the sweep after its resolution deadline passed
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")
    with time_machine.travel(later(hours=73), tick=False):
        deliver_due()
        assert state_of(case) == State.ESCALATED

        # when the supervisor proposes a remedy from the escalation
        walk(case, supervisor, "propose")

        # then the same breach does not escalate it again
        deliver_due()
    assert state_of(case) == State.PROPOSED


def test_a_hand_over_gives_the_new_agent_a_fresh_resolution_clock(db, shop, agent, teammate,
                                                                 supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    with time_machine.travel(later(hours=73), tick=False):
        deliver_due()
        handed = services.run_transition(case_id=case.pk, name="hand_over", by=supervisor,
                                         data={"to": teammate.username, "reason": "deadlocked"})

        assert handed.resolution_due_at > timezone.now()
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
        deliver_due()
    assert state_of(case) == State.ACKNOWLEDGED


def test_a_review_case_whose_buyer_was_called_in_time_is_not_escalated_for_first_response(
    db, shop, agent
):
    from tests.reviews.factories import open_review_case

    called = open_review_case(shop, agent)
    services.log_contact(case_id=called.pk, by=agent, data={
        "channel": "call", "direction": "outbound", "outcome": "no_answer"})
    ignored = open_review_case(shop, agent)

    deliver_due(now=later(hours=25))

    assert state_of(called) == State.NEW
    assert state_of(ignored) == State.ESCALATED


def test_a_breach_tells_the_assignee_and_the_supervisors(db, shop, agent, supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")

    deliver_due(now=later(hours=73))

    breach = Reminder.objects.get(case=case, kind=ReminderKind.DEADLINE_BREACHED,
                                  deadline="resolution")
    assert set(breach.notifications.values_list("recipient__username", flat=True)) == {
        "agent1", "supervisor1"}
