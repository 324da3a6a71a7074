"""Who hears about a refund awaiting approval: the supervisors when it is asked and of its
deadlines while it waits; the agent when it is approved or declined, with the reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from cases import services
from notifications.models import Notification, Reminder, ReminderKind, ReminderState
from notifications.texts import render
from tests.factories import open_case, walk
from tests.notifications.helpers import deliver_due, later

K = ReminderKind


@pytest.fixture
def shop(shop):
    shop.refund_approval_above = Decimal("50")
    shop.save()
    return shop


def awaiting(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")
    return services.run_transition(case_id=case.pk, name="propose", by=agent,
                                   data={"remedy": "partial_refund", "amount": "100.00"})


def told(kind: str) -> list[tuple[str, str, str]]:
    return [(n.recipient.username, *render(n)) for n in Notification.objects.filter(kind=kind)]


def test_the_supervisors_hear_a_refund_awaits_them_and_why(shop, agent, supervisor):
    case = awaiting(shop, agent)

    deliver_due(now=later(minutes=1))

    [(who, title, body)] = told(K.APPROVAL_ASKED)
    assert who == "supervisor1"
    assert title == f"Case #{case.pk}: a refund awaits your approval"
    assert "agent1 proposed a refund above the shop's limits." in body
    assert "The refund of ¥100.00 is above the shop's limit of ¥50.00." in body


def test_the_agent_hears_the_decline_and_its_reason_in_chinese(shop, agent, supervisor):
    case = awaiting(shop, agent)
    services.run_transition(case_id=case.pk, name="decline_remedy", by=supervisor,
                            data={"reason": "先提供换货。"})

    deliver_due(now=later(minutes=1))

    with translation.override("zh-hans"):
        [(who, title, body)] = told(K.REMEDY_DECLINED)
    assert who == "agent1"
    assert title == f"案件 #{case.pk}：退款被驳回"
    assert "先提供换货。" in body


def test_the_agent_hears_the_approval(shop, agent, supervisor):
    case = awaiting(shop, agent)
    services.run_transition(case_id=case.pk, name="approve_remedy", by=supervisor, data={})

    deliver_due(now=later(minutes=1))

    [(who, title, _body)] = told(K.REMEDY_APPROVED)
    assert who == "agent1"
    assert "approved" in title


def test_a_deadline_warning_reaches_the_supervisor_too_while_the_refund_waits(
        shop, agent, supervisor):
    case = awaiting(shop, agent)

    deliver_due(now=later(hours=69))

    warning = Reminder.objects.get(case=case, kind=K.DEADLINE_WARNING, deadline="resolution")
    assert warning.state == ReminderState.SENT
    assert set(warning.notifications.values_list("recipient__username", flat=True)) == {
        "agent1", "supervisor1"}


def test_once_approved_the_warning_goes_to_the_agent_alone_again(shop, agent, supervisor):
    case = awaiting(shop, agent)
    services.run_transition(case_id=case.pk, name="approve_remedy", by=supervisor, data={})

    deliver_due(now=later(hours=69))

    warning = Reminder.objects.get(case=case, kind=K.DEADLINE_WARNING, deadline="resolution")
    assert set(warning.notifications.values_list("recipient__username", flat=True)) == {"agent1"}
