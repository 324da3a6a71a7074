"""The conversation with the buyer in a real browser: the thread, a reply with a phrase to avoid, a
quick reply with its variables, and a quiet-hours refusal that keeps what was typed."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from cases import services
from cases.models import Contact, Direction, PhraseRule
from tests.browser.conftest import log_in
from tests.factories import log, open_case

pytestmark = pytest.mark.browser


def buyer_writes(case, body: str) -> None:
    """The marketplace passes on a message from the buyer (as its webhook does)."""
    log(case, None, channel="chat", direction="inbound", body=body)


def test_the_thread_shows_the_buyer_on_one_side_the_shop_on_the_other_and_who_waits(
    open_page, transactional_db, shop, agent
):
    case = open_case(shop, by=agent)
    buyer_writes(case, "退款什么时候到账？")
    page, url = open_page()
    log_in(page, url, "agent1")
    page.goto(f"{url}/cases/{case.pk}/")

    assert page.locator(".thread .bubble.buyer").inner_text().endswith("退款什么时候到账？")
    assert "The buyer has waited" in page.locator(".waiting").inner_text()

    page.fill("#id_message-body", "您好，退款已经在处理了，预计明天到账。")
    page.click(".message-form button[type=submit]")
    page.wait_for_load_state()

    shop_says = page.locator(".thread .bubble.shop").last
    assert "预计明天到账" in shop_says.inner_text()
    assert "no connector" in shop_says.locator(".delivery").inner_text()
    assert page.locator(".waiting").count() == 0
    assert page.locator(".spoke-last").inner_text() == "The shop spoke last."


def test_a_reply_with_a_phrase_to_avoid_is_sent_and_keeps_its_warning(
    open_page, transactional_db, shop, agent
):
    # (a transactional test starts without the rules the data migration made)
    PhraseRule.objects.get_or_create(shop=None, phrase="我不能",
                                     defaults={"suggestion": "看看我们能够帮你做什么"})
    case = open_case(shop, by=agent)
    buyer_writes(case, "能不能马上退款？")
    page, url = open_page()
    log_in(page, url, "agent1")
    page.goto(f"{url}/cases/{case.pk}/")

    page.locator("#id_message-body").type("亲，我不能马上退款")
    page.locator(".phrase-check mark").wait_for()  # highlighted while typing
    page.click(".message-form button[type=submit]")
    page.wait_for_load_state()

    sent = page.locator(".thread .bubble.shop").last
    assert "我不能马上退款" in sent.inner_text()
    assert "看看我们能够帮你做什么" in sent.locator(".hit-note").inner_text()
    assert "看看我们能够帮你做什么" in page.locator(".messages").inner_text()
    assert Contact.objects.get(case=case, direction=Direction.OUTBOUND).phrase_hits


def test_a_quick_reply_is_filled_for_the_case_and_one_left_unfilled_must_be_filled_first(
    open_page, transactional_db, shop, agent, supervisor
):
    services.save_canned_reply(by=supervisor, data={
        "shop": shop.code, "title": "Refund offer", "shortcut": "refund", "language": "en",
        "body": "Hello {buyer}, for order {order} we offer {remedy}.",
    })
    case = open_case(shop, by=agent)
    buyer_writes(case, "What can you do?")
    page, url = open_page()
    log_in(page, url, "agent1")
    page.goto(f"{url}/cases/{case.pk}/")

    box = page.locator("#id_message-body")
    box.click()
    box.type("/ref")
    page.locator("#quick-reply-menu li").first.wait_for()
    page.keyboard.press("Enter")
    expect(box).to_have_value(re.compile(r"^Hello 王芳"))

    text = box.input_value()
    assert case.order.number in text  # filled by the server for this case
    assert "{remedy}" in text  # no remedy proposed yet: left for the agent
    assert "{remedy}" in page.locator("#unfilled-variables").inner_text()

    page.click(".message-form button[type=submit]")
    page.wait_for_load_state()
    assert "Fill in {remedy} before sending." in page.locator(".message-form").inner_text()
    assert box.input_value() == text  # kept
    assert not Contact.objects.filter(case=case, direction=Direction.OUTBOUND).exists()

    box.fill(text.replace("{remedy}", "a partial refund"))
    page.click(".message-form button[type=submit]")
    page.wait_for_load_state()
    assert "a partial refund" in page.locator(".thread .bubble.shop").last.inner_text()


def test_outreach_in_quiet_hours_is_refused_with_a_reminder_and_the_text_kept(
    open_page, transactional_db, shop, agent
):
    # quiet hours around the present moment in the shop's zone
    local = datetime.now(ZoneInfo(shop.time_zone))
    shop.quiet_hours_start = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    shop.quiet_hours_end = (local + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    shop.save()
    case = open_case(shop, by=agent)  # the buyer has not written: a message is outreach
    page, url = open_page()
    log_in(page, url, "agent1")
    page.goto(f"{url}/cases/{case.pk}/")

    page.fill("#id_message-body", "您好，想跟您确认一下收货地址。")
    page.click(".message-form button[type=submit]")
    page.wait_for_load_state()

    refused = page.locator(".alert.refused")
    assert "quiet hours" in refused.inner_text()
    assert "This case changed" not in page.content()
    assert page.locator("#id_message-body").input_value() == "您好，想跟您确认一下收货地址。"
    refused.locator("button", has_text="Remind me at").click()
    page.wait_for_load_state()
    assert "You will be reminded at" in page.locator(".messages").inner_text()
    assert not Contact.objects.filter(case=case).exists()
