"""The buyer's survey on a phone, in Chinese and English: answer once, a second answer refused,
an expired link told kindly."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Survey
from cases.surveys import token_for
from tests.factories import TO_RESOLVED, open_case, reach_buyer, step, walk

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("SCREENSHOTS")
WORDS = {
    "en": {"ask": "How did we do?", "word": "4 – Happy", "thanks": "Thank you!",
           "again": "answered already", "expired": "This link has expired"},
    "zh-hans": {"ask": "您对我们的服务满意吗？", "word": "4 – 满意", "thanks": "谢谢您！",
                "again": "已回答过", "expired": "链接已过期"},
}


def a_survey(shop, agent) -> Survey:
    shop.outgoing_webhook_url = "https://shop.example/connector"
    shop.save()
    case = walk(open_case(shop, by=agent, description="杯子有裂痕，想退款。"), agent, *TO_RESOLVED)
    reach_buyer(case, agent)
    step(case, "close", agent)
    return Survey.objects.get(case=case)


def on_a_phone(open_page, language):
    page, url = open_page(language)
    page.set_viewport_size({"width": 390, "height": 844})
    return page, url


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_buyer_answers_once_and_a_second_answer_is_refused(open_page, transactional_db, shop,
                                                               agent, language):
    words = WORDS[language]
    survey = a_survey(shop, agent)
    page, url = on_a_phone(open_page, language)

    page.goto(f"{url}/s/{token_for(survey)}/")
    assert words["ask"] in page.inner_text("h1")
    assert "杯子有裂痕，想退款。" in page.inner_text(".subject")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/survey-{language}.png", full_page=True)
    page.get_by_text(words["word"]).click()
    page.fill("#comment", "Quick and kind.")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert words["thanks"] in page.inner_text("h1")

    page.goto(f"{url}/s/{token_for(survey)}/")
    assert words["again"] in page.inner_text("main")
    survey.refresh_from_db()
    assert (survey.rating, survey.comment) == (4, "Quick and kind.")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_expired_link_is_told_kindly(open_page, transactional_db, shop, agent, language):
    survey = a_survey(shop, agent)
    Survey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page, url = on_a_phone(open_page, language)

    page.goto(f"{url}/s/{token_for(survey)}/")

    assert WORDS[language]["expired"] in page.inner_text("h1")
    assert page.locator("form").count() == 0
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/survey-expired-{language}.png", full_page=True)


def test_the_language_switch_changes_the_page(open_page, transactional_db, shop, agent):
    survey = a_survey(shop, agent)
    page, url = on_a_phone(open_page, "zh-hans")

    page.goto(f"{url}/s/{token_for(survey)}/")
    page.click("text=English")

    assert "How did we do?" in page.inner_text("h1")
