"""Quick replies (快捷短语): what saving refuses, and how a reply is filled for a case."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.canned_replies import fill
from cases.models import CannedReply, Kind, PhraseRule
from cases.money import as_read as format_amount
from config.service_errors import InvalidInput, NotAllowed, NotFound
from tests.cases.canned import a_reply, reply_data
from tests.factories import UserFactory, case_payload, open_case, walk

pytestmark = pytest.mark.django_db


def test_a_supervisor_saves_a_quick_reply_of_their_shop(shop, supervisor):
    reply = a_reply(shop, supervisor, shortcut="/Hi", kind="refund", step="acknowledge")

    assert (reply.shop, reply.shortcut, reply.kind, reply.step) == (shop, "hi", "refund",
                                                                    "acknowledge")
    assert reply.created_by == supervisor and reply.usage_count == 0


def test_saving_refuses_a_phrase_to_avoid_with_its_hits_and_saves_nothing(shop, supervisor,
                                                                         before):
    unchanged = before()
    with pytest.raises(InvalidInput) as refused:
        services.save_canned_reply(by=supervisor, data=reply_data(shop, body="亲，我不能马上退款。"))

    assert refused.value.extra["phrase_hits"] == [
        {"phrase": "我不能", "start": 2, "end": 5, "suggestion": "看看我们能够帮你做什么"}]
    assert "我不能" in refused.value.errors["body"][0]
    assert unchanged() and not CannedReply.objects.exists()


def test_saving_follows_the_shops_own_phrase_rules(shop, other_shop, supervisor):
    PhraseRule.objects.create(shop=shop, phrase="亲爱的", suggestion="您好")
    PhraseRule.objects.create(shop=shop, phrase="但是", suggestion="", enabled=False)

    with pytest.raises(InvalidInput) as refused:
        a_reply(shop, supervisor, body="亲爱的，请稍等。")
    assert [hit["phrase"] for hit in refused.value.extra["phrase_hits"]] == ["亲爱的"]
    # "但是" is switched off for this shop: allowed here.
    assert a_reply(shop, supervisor, body="收到，但是需要您补一张照片。").pk


def test_saving_refuses_an_unknown_variable_naming_it_and_the_known_ones(shop, supervisor, before):
    unchanged = before()
    with pytest.raises(InvalidInput) as refused:
        a_reply(shop, supervisor, body="{customer}您好，订单{order}已发货。")

    message = refused.value.errors["body"][0]
    assert "{customer}" in message and "{buyer}" in message and "{deadline}" in message
    assert "{order}" not in message.split(";")[0]
    assert unchanged()


@pytest.mark.parametrize(("field", "value"), [
    ("title", ""), ("title", "   "), ("body", ""), ("shortcut", "two words"), ("shortcut", ""),
    ("shortcut", "x" * 31), ("language", "fr"), ("kind", "parcel"), ("step", "dance"),
    ("body", "好" * 2001), ("title", "t" * 81),
])
def test_saving_refuses_bad_fields_each_by_name(shop, supervisor, field, value):
    with pytest.raises(InvalidInput) as refused:
        a_reply(shop, supervisor, **{field: value})

    assert field in refused.value.errors
    assert not CannedReply.objects.exists()


def test_a_step_must_belong_to_the_kinds_workflow(shop, supervisor):
    with pytest.raises(InvalidInput) as refused:
        a_reply(shop, supervisor, kind="refund", step="request_revision")

    assert "Ask for a revision" in refused.value.errors["step"][0]
    assert a_reply(shop, supervisor, kind="negative_review", step="request_revision").pk
    assert a_reply(shop, supervisor, shortcut="any", step="request_revision").pk  # any kind


def test_a_shortcut_is_unique_per_shop_and_language_until_archived(shop, other_shop, supervisor):
    first = a_reply(shop, supervisor)
    with pytest.raises(InvalidInput) as refused:
        a_reply(shop, supervisor, shortcut="HI")
    assert "/hi" in refused.value.errors["shortcut"][0]

    assert a_reply(shop, supervisor, language="en", body="Hello {buyer}!").pk
    services.archive_canned_reply(reply_id=first.pk, by=supervisor)
    assert a_reply(shop, supervisor).pk


def test_agents_cannot_save_change_or_archive_quick_replies(shop, agent, supervisor):
    reply = a_reply(shop, supervisor)

    with pytest.raises(NotAllowed):
        a_reply(shop, agent, shortcut="mine")
    with pytest.raises(NotAllowed):
        services.update_canned_reply(reply_id=reply.pk, by=agent, data={"title": "Mine"})
    with pytest.raises(NotAllowed):
        services.archive_canned_reply(reply_id=reply.pk, by=agent)
    reply.refresh_from_db()
    assert (reply.title, reply.archived) == ("Greeting", False)


def test_another_shops_supervisor_is_told_of_no_such_shop_or_reply(shop, other_shop, supervisor):
    reply = a_reply(shop, supervisor)
    foreign = UserFactory(username="supervisor9", role="supervisor", shops=[other_shop])

    with pytest.raises(InvalidInput) as refused:
        a_reply(shop, foreign, shortcut="x")
    with pytest.raises(InvalidInput) as unknown:
        services.save_canned_reply(by=foreign, data={**reply_data(shop), "shop": "no-such-shop"})
    assert refused.value.errors == {"shop": ["You have no shop with the code “demo”."]}
    assert unknown.value.errors == {"shop": ["You have no shop with the code “no-such-shop”."]}
    with pytest.raises(NotFound):
        services.update_canned_reply(reply_id=reply.pk, by=foreign, data={"title": "x"})


def test_changing_a_reply_checks_it_as_new_and_keeps_what_was_not_sent(shop, supervisor):
    reply = a_reply(shop, supervisor)
    changed = services.update_canned_reply(reply_id=reply.pk, by=supervisor,
                                           data={"title": "Hello", "kind": "refund"})
    assert (changed.title, changed.kind, changed.shortcut) == ("Hello", "refund", "hi")

    with pytest.raises(InvalidInput):
        services.update_canned_reply(reply_id=reply.pk, by=supervisor, data={"body": "不行。"})
    reply.refresh_from_db()
    assert "不行" not in reply.body


# --- filling -----------------------------------------------------------------------------------


@pytest.fixture
def proposed(shop, agent):
    shop.time_zone = "Asia/Shanghai"
    shop.save()
    case = open_case(shop, agent, Kind.REFUND, customer={"name": "王芳", "handle": "wangfang88"})
    return walk(case, agent, "acknowledge", "calm", "listen", "propose")  # partial refund 30.00


def test_fill_gives_the_cases_buyer_order_amount_remedy_agent_and_shop(proposed, agent, shop):
    agent.first_name, agent.last_name = "Li", "Na"
    body = "{buyer}，订单{order}将{remedy}{amount}。{agent}@{shop}"

    assert fill(body, proposed, agent, language="zh-hans") == (
        f"王芳，订单{proposed.order.number}将部分退款¥30.00。Li Na@Demo shop")
    assert fill("{remedy} of {amount}", proposed, agent, language="en") == (
        "Partial refund of ¥30.00")


def test_the_deadline_is_the_next_running_one_in_the_shops_time(proposed, agent):
    due = proposed.resolution_due_at.astimezone(ZoneInfo("Asia/Shanghai"))

    assert fill("before {deadline}", proposed, agent) == f"before {due:%Y-%m-%d %H:%M}"


def test_variables_without_a_value_and_unknown_names_stay_as_typed(shop, agent):
    data = case_payload(shop, Kind.NON_DELIVERY, customer={"handle": "buyer_x"})
    del data["order"], data["claimed_amount"]
    case, _created = services.open_case(by=agent, data=data)

    assert fill("{buyer}: {order} {amount} {remedy} {nonsense}", case, None) == (
        "buyer_x: {order} {amount} {remedy} {nonsense}")
    assert fill("{agent}", case, None) == "{agent}"


def test_the_amount_is_the_agreed_one_else_the_claimed_else_the_paid(shop, agent):
    claimed = open_case(shop, agent, claimed_amount="99.50")
    paid = open_case(shop, agent, claimed_amount=None)

    assert fill("{amount}", claimed, agent) == "¥99.50"
    assert fill("{amount}", paid, agent) == "¥128.00"


def test_amounts_read_as_people_read_them():
    assert format_amount(Decimal("1280"), "CNY") == "¥1,280.00"
    assert format_amount(Decimal("25.5"), "USD") == "US$25.50"
    assert format_amount(Decimal("12.5"), "CHF") == "12.50 CHF"


def test_using_a_reply_counts_it_and_fills_it_for_the_case(proposed, agent, supervisor, shop):
    reply = a_reply(shop, supervisor, body="{buyer}您好，{remedy}已安排。")

    filled = services.use_canned_reply(reply_id=reply.pk, case_id=proposed.pk, by=agent)
    services.use_canned_reply(reply_id=reply.pk, case_id=proposed.pk, by=agent)

    assert filled == "王芳您好，部分退款已安排。"
    reply.refresh_from_db()
    assert reply.usage_count == 2


def test_a_reply_of_another_kind_or_shop_is_not_used_on_the_case(proposed, agent, supervisor,
                                                                  shop, other_shop):
    review_reply = a_reply(shop, supervisor, kind="negative_review")
    foreign_boss = UserFactory(username="boss2", role="supervisor", shops=[other_shop])
    foreign = a_reply(other_shop, foreign_boss)

    with pytest.raises(InvalidInput):
        services.use_canned_reply(reply_id=review_reply.pk, case_id=proposed.pk, by=agent)
    with pytest.raises(NotFound):
        services.use_canned_reply(reply_id=foreign.pk, case_id=proposed.pk, by=agent)
    with pytest.raises(NotFound):
        services.use_canned_reply(reply_id=foreign.pk, case_id=proposed.pk, by=foreign_boss)
    assert set(CannedReply.objects.values_list("usage_count", flat=True)) == {0}
