"""The demo tells the truth about time: each story is stamped when it happened, the queue's colours
are a working shop's, the reports have real figures, the first sweep after seeding sends only what
is due, and the walk-through reaches *close* at any hour in Shanghai."""

from collections import Counter
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Count, Max, Min

from cases import services
from cases.models import Case, Contact, State, TimelineEvent
from cases.pages.queue import urgency
from cases.reports.queries import run_report
from cases.services.escalation import escalate_breached_cases
from config.service_errors import Conflict
from demo.walkthrough import WALKTHROUGH_ID, WALKTHROUGH_STEPS, walk_through
from notifications.delivery import deliver_reminders
from notifications.models import Notification, Reminder, ReminderState
from notifications.sweep import sweep

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A fixed "now" for the seeding: 15:00 in Shanghai (the stories do not depend on the hour).
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=SHANGHAI)
CASES, REVIEWS = 45, 25


def seed(cases=CASES, reviews=REVIEWS, at=NOW):
    with time_machine.travel(at, tick=False):
        call_command("seed_demo", cases=cases, reviews=reviews, verbosity=0, stdout=StringIO(),
                     stderr=StringIO())


def numbered():
    return Case.objects.exclude(external_id=WALKTHROUGH_ID)


def test_every_case_opens_with_its_opening_event_at_its_opened_time(seeded):
    opened = dict(TimelineEvent.objects.filter(type="case_opened").values_list("case", "at"))
    cases = dict(Case.objects.values_list("pk", "opened_at"))
    assert opened == cases


def test_each_story_s_events_are_spread_over_its_days_not_stamped_at_the_seeding(seeded):
    events = TimelineEvent.objects.all()
    assert events.aggregate(last=Max("at"))["last"] <= NOW
    assert not events.filter(at=NOW).exists()
    # No story is told at one instant: every case with more than its opening spans some time.
    spans = numbered().annotate(n=Count("timeline"), first=Min("timeline__at"),
                                last=Max("timeline__at")).filter(n__gt=1)
    assert spans.exists()
    for case in spans:
        assert case.last - case.first >= timedelta(minutes=1), case.external_id
    # Stories happened over weeks, and two stories never share all their times.
    span = events.aggregate(first=Min("at"), last=Max("at"))
    assert span["last"] - span["first"] > timedelta(days=14)
    assert events.values("at").distinct().count() > 0.8 * events.count()


def test_contacts_happened_between_the_opening_and_now(seeded):
    for contact in Contact.objects.select_related("case"):
        assert contact.case.opened_at <= contact.at <= NOW


def test_most_open_cases_are_on_time_a_few_amber_a_few_red(seeded):
    colours = Counter()
    for case in numbered().exclude(state=State.CLOSED).select_related("assignee"):
        colour = urgency(case.next_due_at, NOW) or "green"
        colours[colour] += 1
        colours[(case.assignee.username if case.assignee else "-", colour)] += 1
    open_cases = colours["green"] + colours["soon"] + colours["breached"]
    assert colours["green"] >= 0.6 * open_cases
    assert 1 <= colours["soon"] <= 0.25 * open_cases
    assert 1 <= colours["breached"] <= 0.25 * open_cases
    for agent in ("agent1", "agent2", "-"):  # agent1's cases are not nearly all red
        mine = sum(colours[(agent, colour)] for colour in ("green", "soon", "breached"))
        assert mine and colours[(agent, "breached")] <= 0.35 * mine, agent


def test_a_red_case_is_one_the_worker_escalated_or_a_follow_up_call_overdue(seeded):
    late = numbered().exclude(state=State.CLOSED).filter(next_due_at__lte=NOW)
    assert late.exists()
    for case in late:
        assert case.state == State.ESCALATED or case.resolved_at is not None, case.external_id
    # So the worker's first escalation sweep after seeding finds nothing left to escalate.
    assert escalate_breached_cases(now=NOW).escalated == []


def test_the_reports_show_real_varied_figures(seeded):
    for name in ("first-response-time", "resolution-time", "closing-time"):
        rows = run_report(name=name, by=None, params={})["results"]
        assert rows, name
        for row in rows:
            assert row["median_hours"] > 0 and row["mean_hours"] > 0, (name, row)
        assert len({row["median_hours"] for row in rows}) > 1, name
    stays = run_report(name="time-in-state", by=None, params={})["results"]
    assert {row["state"] for row in stays} >= {"new", "acknowledged", "calmed", "proposed"}
    for row in stays:
        assert row["median_hours"] > 0, row


def test_reminders_that_came_due_during_the_stories_were_settled_when_they_came_due(seeded):
    assert not Reminder.objects.filter(state=ReminderState.PENDING, due_at__lte=NOW).exists()
    sent = Reminder.objects.filter(state=ReminderState.SENT)
    assert sent.exists()
    for reminder in sent:
        assert reminder.due_at <= reminder.sent_at <= NOW
        assert set(reminder.notifications.values_list("created_at", flat=True)) == {
            reminder.sent_at}
    # The inbox of the last day is unread; what is older was read.
    notifications = Notification.objects.all()
    assert not notifications.filter(read_at=None, created_at__lt=NOW - timedelta(days=1)).exists()
    assert notifications.filter(read_at=None).exists()


def test_the_first_sweep_after_seeding_sends_at_most_a_few_notifications_per_person(seeded):
    """Everything due before the seeding's "now" was delivered in the stories; the first sweep, a
    minute later (the beat's first tick), sends only what came due in that minute: with deadlines
    spread over days, at most a handful, never the stale backlog (it was 59–102 per person)."""
    before = set(Notification.objects.values_list("pk", flat=True))
    at = NOW + timedelta(minutes=1)

    sweep(now=at, deliver=lambda claim: deliver_reminders(claim.ids, claim.token, now=at))

    new = Notification.objects.exclude(pk__in=before)
    per_person = Counter(new.values_list("recipient__username", flat=True))
    assert all(n <= 5 for n in per_person.values()), per_person


# --- the walk-through at any hour ----------------------------------------------------------------

TWO_AT_NIGHT = datetime(2026, 11, 25, 2, 0, tzinfo=SHANGHAI)


def test_the_walk_through_reaches_close_at_two_at_night_in_shanghai():
    seed(cases=0, reviews=0, at=TWO_AT_NIGHT - timedelta(hours=1))
    case = Case.objects.get(external_id=WALKTHROUGH_ID)
    assert case.state == State.NEW and case.assignee is None
    agent1 = User.objects.get(username="agent1")

    with time_machine.travel(TWO_AT_NIGHT, tick=False):
        closed = walk_through(case.pk, agent1)

    assert closed.state == State.CLOSED and closed.assignee == agent1
    # closed as resolved: the last steps are the closing and the buyer's satisfaction survey
    assert list(closed.timeline.order_by("at", "id").values_list("type", flat=True))[-2:] == [
        "close", "survey_prepared"]
    assert closed.contacts.filter(direction="outbound", outcome="reached").exists()


def test_an_ordinary_buyer_is_not_called_at_two_at_night_in_shanghai():
    """The walk-through's buyer chose no quiet hours; every other buyer keeps the shop's."""
    seed(cases=0, reviews=0, at=TWO_AT_NIGHT - timedelta(hours=1))
    case = Case.objects.get(external_id=WALKTHROUGH_ID)
    case.customer.quiet_hours_start = case.customer.quiet_hours_end = None
    case.customer.save()
    call = dict(WALKTHROUGH_STEPS)["contact"]

    with time_machine.travel(TWO_AT_NIGHT, tick=False), pytest.raises(Conflict) as refused:
        services.log_contact(case_id=case.pk, by=User.objects.get(username="agent1"), data=call)

    assert refused.value.extra["code"] == "quiet_hours"


def test_the_walk_through_case_waits_for_the_newcomer_on_every_seeding():
    seed(cases=0, reviews=0)
    seed(cases=0, reviews=0)

    case = Case.objects.get(external_id=WALKTHROUGH_ID)
    assert case.opened_at == NOW - timedelta(minutes=10)
    assert case.contacts.get().direction == "inbound"
    assert case.first_response_due_at > NOW  # nobody is late yet
