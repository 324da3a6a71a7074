"""Delivery checks again at send time, reaches the right people once, and retries what failed."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from cases import services
from cases.models import Customer
from notifications.delivery import deliver_reminders
from notifications.models import DeliveryAttempt, Notification, Reminder, ReminderKind, ReminderState
from notifications.sweep import claim_due_reminders
from tests.factories import TO_RESOLVED, open_case, walk
from tests.notifications.flaky_channel import FlakyChannel
from tests.notifications.helpers import deliver_due, later

K = ReminderKind
FLAKY = ["tests.notifications.flaky_channel.FlakyChannel"]


def reminder(case, kind: str, deadline: str = "") -> Reminder:
    return Reminder.objects.get(case=case, kind=kind, deadline=deadline)


def recipients(r: Reminder) -> set[str]:
    return set(r.notifications.values_list("recipient__username", flat=True))


@pytest.fixture(autouse=True)
def _channel_is_up():
    FlakyChannel.down = False
    FlakyChannel.sent = []


def test_a_deadline_warning_goes_to_the_assignee(db, shop, agent, supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    deliver_due(now=later(hours=69))

    warning = reminder(case, K.DEADLINE_WARNING, "resolution")
    assert warning.state == ReminderState.SENT
    assert recipients(warning) == {"agent1"}


def test_a_warning_for_a_case_nobody_took_goes_to_the_supervisors(db, shop, supervisor):
    case = open_case(shop, by=None)

    deliver_due(now=later(hours=21))

    assert recipients(reminder(case, K.DEADLINE_WARNING, "first_response")) == {"supervisor1"}


def test_the_assignee_at_delivery_time_is_warned_not_the_one_when_it_was_scheduled(
    db, shop, agent, teammate, supervisor
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    services.run_transition(case_id=case.pk, name="hand_over", by=supervisor,
                            data={"to": teammate.username, "reason": "deadlocked"})

    deliver_due(now=later(hours=69))

    assert recipients(Reminder.objects.get(case=case, kind=K.DEADLINE_WARNING,
                                           state=ReminderState.SENT)) == {"agent2"}


def test_a_reminder_whose_deadline_was_met_after_it_was_claimed_is_not_sent(db, shop, agent):
    case = open_case(shop, by=agent)
    claim = claim_due_reminders(now=later(hours=21))
    walk(case, agent, "acknowledge")  # the agent answers while the batch waits in the queue

    report = deliver_reminders(claim.ids, claim.token, now=later(hours=21))

    assert report.cancelled == 1
    warning = reminder(case, K.DEADLINE_WARNING, "first_response")
    assert (warning.state, warning.outcome) == (ReminderState.CANCELLED, "deadline met or moved")
    assert not Notification.objects.exists()


def test_a_reminder_for_a_case_closed_meanwhile_is_not_sent(db, shop, agent):
    case = open_case(shop, by=agent)
    claim = claim_due_reminders(now=later(hours=21))
    walk(case, agent, "withdraw")

    deliver_reminders(claim.ids, claim.token, now=later(hours=21))

    assert reminder(case, K.DEADLINE_WARNING, "first_response").outcome == "case closed"


def test_a_follow_up_call_due_in_the_buyers_quiet_hours_waits_for_the_morning(db, shop, agent):
    shop.quiet_hours_start, shop.quiet_hours_end = time(22, 0), time(8, 0)
    shop.save()
    tz = ZoneInfo(shop.time_zone)
    with time_machine.travel(datetime(2026, 11, 20, 23, 0, tzinfo=tz), tick=False):
        case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)  # follow-up due 23:00 + 3 days
    night = datetime(2026, 11, 23, 23, 30, tzinfo=tz)

    deliver_due(now=night)

    follow_up = reminder(case, K.FOLLOW_UP_DUE, "follow_up")
    assert follow_up.state == ReminderState.PENDING
    assert follow_up.due_at == datetime(2026, 11, 24, 8, 0, tzinfo=tz)
    assert not follow_up.notifications.exists()

    deliver_due(now=datetime(2026, 11, 24, 8, 1, tzinfo=tz))
    assert reminder(case, K.FOLLOW_UP_DUE, "follow_up").state == ReminderState.SENT


def test_no_follow_up_call_is_asked_for_a_buyer_who_opted_out(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
    Customer.objects.filter(pk=case.customer_id).update(do_not_contact=True)

    deliver_due(now=later(days=3, minutes=1))

    follow_up = reminder(case, K.FOLLOW_UP_DUE, "follow_up")
    assert (follow_up.state, follow_up.outcome) == (ReminderState.CANCELLED,
                                                    "buyer asked not to be contacted")


def test_a_retry_is_not_asked_for_once_the_buyer_was_reached(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    services.log_contact(case_id=case.pk, by=agent, data={
        "channel": "call", "direction": "outbound", "outcome": "no_answer"})
    services.log_contact(case_id=case.pk, by=agent, data={
        "channel": "chat", "direction": "inbound", "body": "刚才在开会"})

    deliver_due(now=later(hours=3))

    assert reminder(case, K.RETRY_CONTACT).outcome == "buyer reached since"


def test_a_retry_reminder_is_sent_when_the_buyer_may_be_called_again(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    services.log_contact(case_id=case.pk, by=agent, data={
        "channel": "call", "direction": "outbound", "outcome": "no_answer"})

    deliver_due(now=later(hours=3))

    assert recipients(reminder(case, K.RETRY_CONTACT)) == {"agent1"}


def test_the_assignee_gets_one_email_per_reminder(db, shop, agent):
    agent.email = "agent1@shop.example"
    agent.save()
    walk(open_case(shop, by=agent), agent, "acknowledge")

    deliver_due(now=later(hours=69))
    deliver_due(now=later(hours=69))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["agent1@shop.example"]
    assert DeliveryAttempt.objects.filter(channel="email", outcome="sent").count() == 1


@override_settings(NOTIFICATION_CHANNELS=FLAKY, REMINDER_MAX_ATTEMPTS=3)
def test_a_channel_that_fails_is_retried_with_a_backoff_and_never_doubles_the_in_app_message(
    db, shop, agent
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    FlakyChannel.down = True
    moment = later(hours=69)

    deliver_due(now=moment)

    warning = reminder(case, K.DEADLINE_WARNING, "resolution")
    assert warning.state == ReminderState.PENDING
    assert warning.attempts == 1
    assert "503" in warning.last_error
    assert warning.due_at == moment + timedelta(minutes=1)  # the first backoff
    assert DeliveryAttempt.objects.filter(channel="chat", outcome="failed").count() == 1

    FlakyChannel.down = False
    deliver_due(now=later(hours=69, minutes=2))

    warning.refresh_from_db()
    assert warning.state == ReminderState.SENT
    assert warning.notifications.count() == 1
    assert len(FlakyChannel.sent) == 1


@override_settings(NOTIFICATION_CHANNELS=FLAKY, REMINDER_MAX_ATTEMPTS=2)
def test_a_reminder_that_keeps_failing_is_marked_failed_with_its_last_error(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    FlakyChannel.down = True

    deliver_due(now=later(hours=69))
    deliver_due(now=later(hours=70))

    warning = reminder(case, K.DEADLINE_WARNING, "resolution")
    assert (warning.state, warning.attempts) == (ReminderState.FAILED, 2)
    assert "503" in warning.last_error


def test_delivering_the_same_claim_twice_sends_once(db, shop, agent):
    walk(open_case(shop, by=agent), agent, "acknowledge")
    claim = claim_due_reminders(now=later(hours=69))

    first = deliver_reminders(claim.ids, claim.token, now=later(hours=69))
    second = deliver_reminders(claim.ids, claim.token, now=later(hours=69))

    assert (first.delivered, second.delivered) == (1, 0)
    assert Notification.objects.count() == 1


def test_a_claim_taken_over_after_it_went_stale_is_not_delivered_by_its_first_owner(db, shop, agent):
    walk(open_case(shop, by=agent), agent, "acknowledge")
    first = claim_due_reminders(now=later(hours=69))
    second = claim_due_reminders(now=later(hours=69, minutes=6))  # 5 minutes later: stale

    assert second.ids == first.ids
    assert deliver_reminders(first.ids, first.token, now=later(hours=69)).delivered == 0
    assert deliver_reminders(second.ids, second.token, now=later(hours=69)).delivered == 1
    assert Notification.objects.count() == 1


def test_notification_texts_read_in_english_and_chinese(db, shop, agent):
    from django.utils import translation

    from notifications.texts import render

    walk(open_case(shop, by=agent), agent, "acknowledge")
    deliver_due(now=later(hours=69))
    notification = Notification.objects.get()

    with translation.override("en"):
        title, body = render(notification)
    assert "resolution" in title
    assert "Act before" in body
    with translation.override("zh-hans"):
        title_zh, _body = render(notification)
    assert title_zh != title


def test_a_revised_review_gets_its_follow_up_call_too(db, shop, agent):
    from tests.reviews.factories import open_review_case

    case = walk(open_review_case(shop, agent), agent,
                 "calm", "listen", "remedy", "request_revision", "mark_revised")

    deliver_due(now=later(days=3, minutes=1))

    assert recipients(reminder(case, K.FOLLOW_UP_DUE, "follow_up")) == {"agent1"}
