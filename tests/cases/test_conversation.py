"""The conversation read from a loaded case: messages and calls in order with the workflow's steps
as markers, who spoke last, and since when the buyer has waited — without a query."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.utils import timezone

from cases import conversation, selectors, services
from cases.models import Case
from tests.cases.contact_rules import CALL, INBOUND, contact
from tests.factories import open_case, step


def loaded(case: Case, user: Any) -> Case:
    return selectors.get_case_for_user(user, case.pk)


def later(minutes: int) -> Any:
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def test_the_thread_has_every_contact_in_order_with_the_steps_as_markers(shop, agent):
    # given: the buyer writes, the agent acknowledges, answers, calls
    case = open_case(shop, by=agent)
    with later(1):
        contact(case, agent, INBOUND)
    with later(2):
        step(case, "acknowledge", agent)
    with later(3):
        services.send_message(case_id=case.pk, by=agent, data={"body": "您好，马上处理。"})
    with later(4):
        contact(case, agent, {**CALL, "outcome": "reached", "body": "电话沟通了。"})

    # when
    items = conversation.thread(loaded(case, agent))

    # then
    assert [(i.kind, i.side, i.author) for i in items] == [
        ("marker", None, "agent1"),            # case opened
        ("message", "buyer", None),
        ("marker", None, "agent1"),            # claimed (by acknowledging)
        ("marker", None, "agent1"),            # acknowledged
        ("message", "shop", "agent1"),
        ("call", "shop", "agent1"),
    ]
    assert [str(i.label) for i in items if i.kind == "marker"] == [
        "case opened", "case claimed", "Acknowledge"]
    assert [i.delivery for i in items if i.kind != "marker"] == [None, "no_connector", None]
    assert items[4].contact.body == "您好，马上处理。"


def test_reading_the_conversation_of_a_loaded_case_costs_no_query(
    shop, agent, django_assert_num_queries
):
    case = open_case(shop, by=agent)
    contact(case, agent, INBOUND)
    services.send_message(case_id=case.pk, by=agent, data={"body": "您好。"})
    case = loaded(case, agent)

    with django_assert_num_queries(0):
        conversation.thread(case)
        conversation.last_speaker(case)
        conversation.buyer_waiting_since(case)


def test_nobody_has_spoken_on_a_new_case(shop, agent):
    case = loaded(open_case(shop, by=agent), agent)

    assert (conversation.last_speaker(case), conversation.buyer_waiting_since(case)) == (None, None)


def test_the_buyer_waits_since_their_oldest_message_after_the_shop_last_spoke(shop, agent):
    case = open_case(shop, by=agent)
    with later(1):
        contact(case, agent, INBOUND)
    with later(2):
        services.send_message(case_id=case.pk, by=agent, data={"body": "您好。"})
    with later(3):
        first = contact(case, agent, INBOUND).contact
    with later(4):
        contact(case, agent, {**INBOUND, "body": "在吗？"})

    case = loaded(case, agent)

    assert conversation.last_speaker(case) == "buyer"
    assert conversation.buyer_waiting_since(case) == first.at


def test_a_call_that_reached_the_buyer_answers_them_and_one_that_did_not_does_not(shop, agent):
    case = open_case(shop, by=agent)
    with later(1):
        waiting = contact(case, agent, INBOUND).contact
    with later(2):
        contact(case, agent, CALL)  # no answer

    assert conversation.buyer_waiting_since(loaded(case, agent)) == waiting.at
    assert conversation.last_speaker(loaded(case, agent)) == "buyer"

    with later(3):
        contact(case, agent, {**CALL, "outcome": "reached"})

    assert conversation.buyer_waiting_since(loaded(case, agent)) is None
    assert conversation.last_speaker(loaded(case, agent)) == "shop"


def test_a_message_logged_by_an_agent_for_the_buyer_is_the_buyers(shop, agent):
    case = open_case(shop, by=agent)
    contact(case, agent, INBOUND)

    [item] = [i for i in conversation.thread(loaded(case, agent)) if i.kind == "message"]

    assert (item.side, item.author, item.contact.by) == ("buyer", None, agent)
