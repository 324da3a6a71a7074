"""A passed deadline is told to the assignee and the supervisors; telling never changes the case."""

from __future__ import annotations

from cases.models import Case, State
from notifications.models import Reminder, ReminderKind
from tests.factories import open_case, walk
from tests.notifications.helpers import deliver_due, later


def test_a_breach_tells_the_assignee_and_the_supervisors(db, shop, agent, supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")

    deliver_due(now=later(hours=73))

    breach = Reminder.objects.get(case=case, kind=ReminderKind.DEADLINE_BREACHED,
                                  deadline="resolution")
    assert set(breach.notifications.values_list("recipient__username", flat=True)) == {
        "agent1", "supervisor1"}


def test_delivering_a_breach_notice_leaves_the_case_as_it_was(db, shop, agent):
    # the cases' own sweep escalates (cases/services/escalation.py); delivery only tells
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    deliver_due(now=later(hours=73))

    assert Reminder.objects.filter(case=case, kind=ReminderKind.DEADLINE_BREACHED, state="sent").exists()
    assert Case.objects.get(pk=case.pk).state == State.ACKNOWLEDGED
    assert not case.timeline.filter(type="escalate").exists()
