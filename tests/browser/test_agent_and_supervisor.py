"""An agent and a supervisor at work in a real browser, in English and Chinese."""

from __future__ import annotations

import re

import pytest

from cases.models import Case, State
from tests.browser.conftest import log_in
from tests.factories import open_case, walk

pytestmark = pytest.mark.browser


def test_an_agent_claims_a_case_then_acknowledges_calms_listens_and_proposes(
    open_page, transactional_db, shop, agent
):
    case = open_case(shop, by=None)
    page, url = open_page()
    log_in(page, url, "agent1")

    # claims it from the unassigned tab
    page.click("text=Unassigned")
    page.click(f"form[action='/cases/{case.pk}/claim/'] button")
    page.wait_for_url(re.compile(rf".*/cases/{case.pk}/$"))

    def step(name: str, fields: dict[str, str]) -> None:
        # the next step is open as the primary action; the others are behind their summary
        folded = page.locator(f"details:has(form[action$='/transitions/{name}/']) summary")
        if folded.count():
            folded.click()
        form = page.locator(f"form[action$='/transitions/{name}/']")
        for field, value in fields.items():
            form.locator(f"[name='{name}-{field}']").fill(value) if field != "remedy" else \
                form.locator(f"[name='{name}-{field}']").select_option(value)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()

    step("acknowledge", {"message": "您好，我们已收到您的申请，马上为您处理。"})
    step("calm", {"note": "Let the buyer vent, apologised."})
    step("listen", {"core_problem": "The buyer needs the money before the weekend."})
    step("propose", {"remedy": "partial_refund", "amount": "30"})

    assert Case.objects.get(pk=case.pk).state == State.PROPOSED
    assert page.locator(".steps li.done").count() == 2  # calm and listen are on record


def test_the_composer_highlights_a_phrase_to_avoid_as_it_is_typed(open_page, transactional_db,
                                                                  shop, agent):
    from cases.models import PhraseRule

    # (a transactional test starts without the rules the data migration made)
    PhraseRule.objects.get_or_create(shop=None, phrase="我不能",
                                     defaults={"suggestion": "看看我们能够帮你做什么"})
    case = open_case(shop, by=agent)
    page, url = open_page()
    log_in(page, url, "agent1")
    page.goto(f"{url}/cases/{case.pk}/")

    # acknowledging is the next step: its form is open
    page.locator("[name='acknowledge-message']").type("亲，我不能退款")

    hit = page.locator(".phrase-check mark")
    hit.wait_for()
    assert hit.inner_text() == "我不能"
    assert "看看我们能够帮你做什么" in page.locator(".phrase-check").inner_text()


def test_a_supervisor_hands_an_escalated_case_over(open_page, transactional_db, shop, agent,
                                                   teammate, supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "escalate")
    page, url = open_page()
    log_in(page, url, "supervisor1")

    page.click("nav >> text=Escalations")
    page.select_option(f"#to-{case.pk}", "agent2")
    page.fill(f"#reason-{case.pk}", "A fresh voice for this buyer.")
    page.click(f"form[action='/cases/{case.pk}/transitions/hand_over/'] button")
    page.wait_for_url(f"{url}/escalations/")

    assert Case.objects.get(pk=case.pk).assignee == teammate
    assert page.locator(".messages").inner_text().startswith("Done")


def test_the_chinese_pages_render(open_page, transactional_db, shop, agent):
    case = open_case(shop, by=agent)
    page, url = open_page("zh-hans")
    log_in(page, url, "agent1")

    assert page.locator("h1").inner_text() == "待办队列"
    page.goto(f"{url}/cases/{case.pk}/")
    assert page.locator("h1").inner_text().startswith(f"案件 #{case.pk}")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
