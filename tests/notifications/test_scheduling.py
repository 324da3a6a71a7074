"""Reminders follow the deadlines: made when a clock starts, cancelled when it stops or moves."""

from __future__ import annotations

from datetime import time, timedelta

import time_machine

from cases import services
from cases.models import Case
from cases.reminders import sync_case_reminders
from notifications.models import Reminder, ReminderKind, ReminderState
from tests.factories import TO_RESOLVED, open_case, reach_buyer, walk

K = ReminderKind


def pending(case: Case) -> set[tuple[str, str]]:
    return set(Reminder.objects.filter(case=case, state=ReminderState.PENDING)
               .values_list("kind", "deadline"))


def test_a_new_case_gets_a_warning_and_a_breach_reminder_for_each_of_its_deadlines(db, shop, agent):
    case = open_case(shop, by=agent)

    assert pending(case) == {
        (K.DEADLINE_WARNING, "first_response"), (K.DEADLINE_BREACHED, "first_response"),
        (K.DEADLINE_WARNING, "resolution"), (K.DEADLINE_BREACHED, "resolution"),
    }
    warning = Reminder.objects.get(case=case, kind=K.DEADLINE_WARNING, deadline="first_response")
    assert warning.due_at == case.first_response_due_at - timedelta(hours=4)


def test_a_shop_on_a_marketplace_is_also_warned_before_the_platform_decides(db, shop, agent):
    shop.platform = "taobao"
    shop.save()
    case = open_case(shop, by=agent)

    assert (K.DEADLINE_BREACHED, "marketplace") in pending(case)


def test_the_first_reply_cancels_the_first_response_and_marketplace_reminders(db, shop, agent):
    shop.platform = "taobao"
    shop.save()
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    assert pending(case) == {(K.DEADLINE_WARNING, "resolution"), (K.DEADLINE_BREACHED, "resolution")}
    cancelled = Reminder.objects.filter(case=case, state=ReminderState.CANCELLED)
    assert set(cancelled.values_list("deadline", flat=True)) == {"first_response", "marketplace"}


def test_the_buyers_acceptance_stops_the_resolution_clock_and_schedules_the_follow_up_call(
    db, shop, agent
):
    case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)

    assert pending(case) == {(K.FOLLOW_UP_DUE, "follow_up")}
    follow_up = Reminder.objects.get(case=case, kind=K.FOLLOW_UP_DUE)
    assert follow_up.due_at == case.resolved_at + timedelta(days=3)


def test_the_follow_up_delay_is_the_shops_policy(db, shop, agent):
    from cases.models import DeadlinePolicy

    DeadlinePolicy.objects.create(shop=shop, kind="refund", first_response=timedelta(hours=2),
                                  resolution=timedelta(hours=10), follow_up_delay=timedelta(days=1))
    case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)

    assert case.follow_up_due_at == case.resolved_at + timedelta(days=1)


def test_reaching_the_buyer_after_the_resolution_is_the_follow_up_call(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)

    reach_buyer(case, agent)

    assert Case.objects.get(pk=case.pk).follow_up_due_at is None
    assert pending(case) == set()


def test_closing_a_case_cancels_every_reminder_it_has(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    services.log_contact(case_id=case.pk, by=agent, data={
        "channel": "call", "direction": "outbound", "outcome": "no_answer"})
    assert (K.RETRY_CONTACT, "") in pending(case)

    walk(case, agent, "withdraw")

    assert pending(case) == set()
    assert set(Reminder.objects.filter(case=case, kind=K.RETRY_CONTACT)
               .values_list("outcome", flat=True)) == {"case closed"}


def test_a_hand_over_moves_the_resolution_reminders_to_the_new_deadline(db, shop, agent, teammate,
                                                                       supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    old_due = case.resolution_due_at

    with time_machine.travel(case.opened_at + timedelta(hours=10), tick=False):
        case = services.run_transition(case_id=case.pk, name="hand_over", by=supervisor,
                                       data={"to": teammate.username, "reason": "deadlocked"})

    breach = Reminder.objects.get(case=case, kind=K.DEADLINE_BREACHED, state=ReminderState.PENDING)
    assert breach.deadline_at == case.resolution_due_at == old_due + timedelta(hours=10)
    assert Reminder.objects.filter(case=case, kind=K.HANDED_OVER, state=ReminderState.PENDING,
                                   due_at__lte=case.updated_at).count() == 1


def test_scheduling_twice_makes_no_second_reminder(db, shop, agent):
    case = open_case(shop, by=agent)
    before = Reminder.objects.count()

    sync_case_reminders(case)
    sync_case_reminders(case)

    assert Reminder.objects.count() == before


def test_a_pause_cancels_the_shops_reminders_and_the_resume_makes_new_ones(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    with time_machine.travel(case.opened_at + timedelta(hours=1), tick=False):
        services.pause_clock(case_id=case.pk, by=agent, data={"reason": "Waiting for photos."})
    assert pending(case) == set()

    with time_machine.travel(case.opened_at + timedelta(hours=3), tick=False):
        case = services.resume_clock(case_id=case.pk, by=agent)

    breach = Reminder.objects.get(case=case, kind=K.DEADLINE_BREACHED, state=ReminderState.PENDING)
    assert breach.deadline_at == case.resolution_due_at


def test_a_call_nobody_answered_schedules_a_retry_at_the_next_allowed_time(db, shop, agent):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    shop.quiet_hours_start, shop.quiet_hours_end = time(22, 0), time(8, 0)
    shop.save()
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    evening = datetime(2026, 11, 24, 21, 0, tzinfo=ZoneInfo(shop.time_zone))

    with time_machine.travel(evening, tick=False):
        services.log_contact(case_id=case.pk, by=agent, data={
            "channel": "call", "direction": "outbound", "outcome": "no_answer"})

    retry = Reminder.objects.get(case=case, kind=K.RETRY_CONTACT)
    # 21:00 + 2 hours is inside the quiet hours: the retry waits for 08:00 the next morning
    assert retry.due_at == datetime(2026, 11, 25, 8, 0, tzinfo=ZoneInfo(shop.time_zone))


def test_sync_reminders_gives_older_open_cases_their_reminders_once(db, shop, agent):
    from django.core.management import call_command

    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    closed = walk(open_case(shop, by=agent), agent, "withdraw")
    Reminder.objects.all().delete()  # as if the cases were older than the reminders

    call_command("sync_reminders", verbosity=0)
    call_command("sync_reminders", verbosity=0)

    assert pending(case) == {(K.DEADLINE_WARNING, "resolution"), (K.DEADLINE_BREACHED, "resolution")}
    assert pending(closed) == set()
    assert Reminder.objects.count() == 2

