"""The buyer's satisfaction survey on the case page: its state in words (not sent and why, scheduled
for when, sent when, answered with the rating in words and stars and the buyer's comment), and for
the shop's staff the link to copy where pasting it is the next step; both languages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Customer, Survey
from cases.services.surveys import answer_survey
from cases.surveys import token_for
from tests.cases.contact_rules import SHANGHAI, at, with_quiet_hours
from tests.factories import TO_RESOLVED, open_case, reach_buyer, step, walk
from tests.pages.browsing import browser

HOOK = "https://shop.example/connector"


def closed(shop, agent, **payload):
    case = walk(open_case(shop, by=agent, **payload), agent, *TO_RESOLVED)
    reach_buyer(case, agent)
    return step(case, "close", agent)


def with_connector(shop):
    shop.outgoing_webhook_url = HOOK
    shop.save()
    return shop


def page(user, case, language="en") -> str:
    response = browser(user).get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str) -> str:
    found = re.search(r'<section class="card survey-panel".*?</section>', html, re.S)
    assert found, "no survey panel on the page"
    return found.group(0)


def link_field(html: str) -> str | None:
    found = re.search(r'<input type="text" id="survey-link"[^>]*value="([^"]+)"[^>]*readonly', html)
    return found.group(1) if found else None


# --- not sent ---------------------------------------------------------------------------------------

def test_a_shop_without_a_connector_sees_why_and_the_link_to_paste_with_a_copy_button(shop, agent):
    # given a shop with no connector, and a case closed as resolved
    case = closed(shop, agent)
    survey = Survey.objects.get(case=case)

    # when the agent opens the case
    html = panel(page(agent, case))

    # then the survey was not sent, the page says why and what to do, and offers the link
    assert "Satisfaction survey" in html and "Not sent" in html
    assert "The shop has no connector: paste the survey link into the marketplace&#x27;s chat." in html
    assert "The link is open until" in html
    assert link_field(html) == f"http://testserver/s/{token_for(survey)}/"
    assert 'translate="no"' in re.search(r'<input type="text" id="survey-link"[^>]*>', html).group(0)
    # the copy button waits for its script (no script: the read-only field to select by hand)
    assert re.search(r'<button type="button" class="copy-button" data-copy="survey-link" '
                     r'hidden>Copy link</button>', html)
    assert 'src="/static/pages/copy_link.js"' in html
    assert "<script>" not in html  # no inline script (CSP 'self')


def test_the_same_in_chinese(shop, agent):
    case = closed(shop, agent)

    html = panel(page(agent, case, "zh-hans"))

    assert "满意度调查" in html and "未发送" in html
    assert "店铺未接入消息连接器：请把调查链接粘贴到平台聊天中。" in html
    assert "链接有效期至" in html and "复制链接" in html
    assert 'data-copied="已复制。"' in html
    assert "Not sent" not in html and "Copy link" not in html


def test_a_buyer_who_asked_not_to_be_contacted_is_not_offered_a_link(shop, agent):
    # given a buyer who asked not to be contacted before the case closed
    case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
    reach_buyer(case, agent)
    Customer.objects.filter(pk=case.customer_id).update(do_not_contact=True)
    case = step(case, "close", agent)

    html = panel(page(agent, case))

    assert "Not sent" in html
    assert "The buyer asked not to be contacted: no survey was sent." in html
    assert link_field(html) is None and "copy_link.js" not in html


# --- scheduled and sent -----------------------------------------------------------------------------

def test_a_survey_held_by_the_quiet_hours_says_when_it_goes_out_and_offers_no_link(shop, agent):
    with_quiet_hours(with_connector(shop))
    with at(SHANGHAI, 2026, 6, 15, 12, 0):
        case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
        reach_buyer(case, agent)
    with at(SHANGHAI, 2026, 6, 15, 23, 0):
        step(case, "close", agent)

        html = panel(page(agent, case))
        chinese = panel(page(agent, case, "zh-hans"))

    assert "Scheduled for 2026-06-16 08:00" in html
    assert "Inside the buyer&#x27;s quiet hours: the survey is sent when they end." in html
    assert link_field(html) is None
    assert "定于 2026-06-16 08:00 发送" in chinese


def test_a_sent_survey_says_when_and_until_when_the_link_is_open(shop, agent):
    with_connector(shop)
    with at(SHANGHAI, 2026, 6, 15, 10, 0):
        case = closed(shop, agent)

        html = panel(page(agent, case))

    assert "Sent 2026-06-15 10:00" in html
    assert "Waiting for the buyer&#x27;s answer; the link is open until 2026-06-22 10:00." in html
    assert link_field(html)  # the buyer may ask for it again


def test_an_expired_link_is_said_and_no_longer_offered(shop, agent):
    with_connector(shop)
    case = closed(shop, agent)

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        html = panel(page(agent, case))

    assert "without an answer" in html
    assert link_field(html) is None


# --- answered ---------------------------------------------------------------------------------------

def test_an_answer_shows_the_rating_in_words_and_stars_and_the_buyers_comment(shop, agent):
    # given the buyer answered four stars with a comment
    with_connector(shop)
    with at(SHANGHAI, 2026, 6, 15, 10, 0):
        case = closed(shop, agent)
    survey = Survey.objects.get(case=case)
    with at(SHANGHAI, 2026, 6, 15, 18, 30):
        answer_survey(token=token_for(survey), data={"rating": 4, "comment": "退款很快，谢谢"})

    html = panel(page(agent, case))
    chinese = panel(page(agent, case, "zh-hans"))

    # then the page reads it out, the buyer's words untranslated, and no link to paste
    assert "Answered 2026-06-15 18:30" in html
    assert "★★★★☆" in html and "Happy" in html and "(4 of 5)" in html
    assert 'aria-label="4 of 5 stars"' in html
    assert '<blockquote class="pre" translate="no">退款很快，谢谢</blockquote>' in html
    assert link_field(html) is None
    assert "已于 2026-06-15 18:30 回答" in chinese and "满意" in chinese and "Happy" not in chinese


def test_an_answer_without_a_comment_says_so(shop, agent):
    with_connector(shop)
    case = closed(shop, agent)
    answer_survey(token=token_for(Survey.objects.get(case=case)), data={"rating": 2})

    html = panel(page(agent, case))

    assert "★★☆☆☆" in html and "Unhappy" in html and "No comment." in html


# --- who sees it, and when -------------------------------------------------------------------------

def test_a_teammate_who_reads_the_case_sees_the_survey_and_its_link(shop, agent, teammate):
    case = closed(shop, agent)

    html = panel(page(teammate, case))

    assert "Not sent" in html and link_field(html)


def test_an_open_case_has_no_survey_panel(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    assert 'class="card survey-panel"' not in page(agent, case)


def test_a_case_resolved_again_soon_says_the_buyer_is_not_asked_twice(shop, agent):
    case = closed(with_connector(shop), agent)
    case = walk(step(case, "reopen", agent), agent, "calm", "listen", "propose", "accept")
    reach_buyer(case, agent)
    case = step(case, "close", agent)

    html = panel(page(agent, case))

    assert "Sent" in html  # the first survey, still the case's latest
    assert "The buyer was asked for this case recently: no second survey." in html


@pytest.mark.parametrize("site_url", ["", "https://desk.example"])
def test_the_page_and_the_api_read_the_same_survey(shop, agent, api, settings, site_url):
    settings.SITE_URL = site_url
    case = closed(shop, agent)

    body = api(agent).get(f"/api/v1/cases/{case.pk}/").json()["survey"]
    html = panel(page(agent, case))

    assert body["state"] == "not_sent"
    assert link_field(html).endswith(body["url"])  # the API's link, made absolute with this host
    assert link_field(html).startswith(site_url or "http://testserver/")
