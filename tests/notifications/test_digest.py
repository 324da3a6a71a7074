"""A digest instead of a flood: more than NOTIFICATION_DIGEST_AFTER reminders for one person from
one delivered batch (after a worker was down) are told in one notification, once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import translation

from notifications import selectors
from notifications.delivery import deliver_reminders
from notifications.models import Notification, Reminder, ReminderKind, ReminderState
from notifications.sweep import claim_due_reminders
from notifications.texts import render
from tests.factories import open_case, walk
from tests.notifications.dying_channel import DyingChannel, WorkerKilled
from tests.notifications.helpers import deliver_due, later
from tests.notifications.test_failures import twice_at_once

K = ReminderKind
DYING = ["tests.notifications.dying_channel.DyingChannel"]


@pytest.fixture(autouse=True)
def _three_make_a_flood(settings):
    settings.NOTIFICATION_DIGEST_AFTER = 3
    DyingChannel.dies = False
    DyingChannel.sent = []


def acknowledged_cases(shop, agent, n: int) -> None:
    for _ in range(n):  # each has a resolution warning due within 69 hours
        walk(open_case(shop, by=agent), agent, "acknowledge")


def digests():
    return Notification.objects.filter(kind=K.DIGEST)


def test_more_reminders_than_the_limit_at_once_make_one_digest(db, shop, agent):
    agent.email = "agent1@shop.example"
    agent.save()
    acknowledged_cases(shop, agent, 4)

    deliver_due(now=later(hours=69))

    digest = digests().get()
    assert digest.recipient == agent
    assert digest.data["count"] == 4
    assert [n.pk for n in selectors.inbox(agent)] == [digest.pk]
    assert selectors.unread_count(agent) == 1
    assert digest.told.count() == 4  # each reminder still reached the agent once, in the digest
    assert Reminder.objects.filter(state=ReminderState.SENT).count() == 4
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject in ("4 reminders fell due at once", "4 条提醒同时到期")


def test_the_limit_or_fewer_arrive_one_by_one(db, shop, agent):
    acknowledged_cases(shop, agent, 3)

    deliver_due(now=later(hours=69))

    assert not digests().exists()
    assert len(selectors.inbox(agent)) == 3


def test_a_digest_counts_what_fell_due_by_kind_in_both_languages(db, shop, agent):
    acknowledged_cases(shop, agent, 4)

    deliver_due(now=later(hours=69))

    digest = digests().get()
    title, body = render(digest)
    assert title == "4 reminders fell due at once"
    assert "4 resolution deadlines near" in body
    assert "/?tab=soon" in body
    with translation.override("zh-hans"):
        title, body = render(digest)
    assert title == "4 条提醒同时到期"
    assert "4 个解决期限临近" in body


@override_settings(NOTIFICATION_CHANNELS=DYING)
def test_a_worker_killed_after_writing_the_digest_sends_it_once_when_the_claim_is_taken_again(
    db, shop, agent
):
    acknowledged_cases(shop, agent, 4)
    DyingChannel.dies = True
    claim = claim_due_reminders(now=later(hours=69))

    with pytest.raises(WorkerKilled):
        deliver_reminders(claim.ids, claim.token, now=later(hours=69))
    assert Reminder.objects.filter(state=ReminderState.CLAIMED).count() == 4

    deliver_due(now=later(hours=69, minutes=6))  # the claim went stale: taken again

    assert digests().count() == 1
    assert Notification.objects.filter(digest__isnull=False).count() == 4
    assert DyingChannel.sent == [digests().get().pk]
    assert Reminder.objects.filter(state=ReminderState.SENT).count() == 4


def test_delivering_the_same_batch_twice_makes_one_digest(db, shop, agent):
    acknowledged_cases(shop, agent, 4)
    claim = claim_due_reminders(now=later(hours=69))

    deliver_reminders(claim.ids, claim.token, now=later(hours=69))
    deliver_reminders(claim.ids, claim.token, now=later(hours=69))

    assert digests().count() == 1


def test_a_hand_over_is_never_folded_into_a_digest(db, shop, agent, teammate, supervisor):
    from cases import services

    acknowledged_cases(shop, agent, 4)
    case = walk(open_case(shop, by=teammate), teammate, "acknowledge")
    services.run_transition(case_id=case.pk, name="hand_over", by=supervisor,
                            data={"to": agent.username, "reason": "deadlocked"})

    deliver_due(now=later(hours=69))

    kinds = sorted(n.kind for n in selectors.inbox(agent))
    assert K.HANDED_OVER not in [n.kind for n in Notification.objects.filter(
        digest__isnull=False)]
    assert K.DIGEST in kinds


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL")
def test_two_sweeps_at_once_make_one_digest(transactional_db, shop, agent):
    acknowledged_cases(shop, agent, 8)
    now = later(hours=69)

    twice_at_once(lambda: deliver_due(now=now, batch_size=100))

    assert digests().count() == 1
    assert digests().get().data["count"] == 8
    assert Notification.objects.filter(digest__isnull=False).count() == 8
    assert Reminder.objects.filter(state=ReminderState.SENT).count() == 8
