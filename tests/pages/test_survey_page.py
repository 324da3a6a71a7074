"""The buyer's survey page: public, in Chinese or English, with the shop's name and the buyer's own
words only; a friendly page for a bad, used or expired link; rate limited."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from cases.models import Survey
from cases.surveys import token_for
from tests.factories import TO_RESOLVED, open_case, reach_buyer, step, walk

HTML = {"HTTP_ACCEPT": "text/html,application/xhtml+xml"}


@pytest.fixture
def survey(shop, agent):
    shop.outgoing_webhook_url = "https://shop.example/connector"
    shop.save()
    case = walk(open_case(shop, by=agent, description="杯子有裂痕，想退款。"), agent, *TO_RESOLVED)
    reach_buyer(case, agent)
    step(case, "close", agent)
    return Survey.objects.get(case=case)


def page(client, survey, lang="en", **extra):
    return client.get(f"/s/{token_for(survey)}/", HTTP_ACCEPT_LANGUAGE=lang, **HTML, **extra)


def test_the_page_asks_in_english_with_the_shop_and_the_buyers_own_words(survey):
    response = page(Client(), survey)

    html = response.content.decode()
    assert response.status_code == 200
    assert "How did we do?" in html
    assert "Demo shop" in html
    assert "杯子有裂痕，想退款。" in html
    assert "5 – Very happy" in html and "1 – Very unhappy" in html


def test_the_page_asks_in_chinese_by_the_browser_and_the_switch_changes_it(survey):
    chinese = page(Client(), survey, lang="zh-hans").content.decode()
    switched = Client().get(f"/s/{token_for(survey)}/?lang=en", HTTP_ACCEPT_LANGUAGE="zh-hans",
                            **HTML).content.decode()

    assert "您对我们的服务满意吗？" in chinese
    assert "5 – 非常满意" in chinese
    assert 'href="?lang=en"' in chinese
    assert "How did we do?" in switched


def test_the_page_shows_no_buyer_data_beyond_their_words(survey):
    html = page(Client(), survey).content.decode()

    assert "王芳" not in html
    assert "13800138000" not in html and "8000" not in html
    assert survey.case.order.number not in html


def test_a_form_answer_thanks_once_and_then_says_it_was_answered(survey):
    client = Client()
    url = f"/s/{token_for(survey)}/"

    first = client.post(url, {"rating": "5", "comment": "很好"}, **HTML)
    second = client.post(url, {"rating": "1"}, **HTML)

    assert first.status_code == 200 and "Thank you!" in first.content.decode()
    assert second.status_code == 409
    assert "answered already" in second.content.decode()


def test_a_bad_rating_keeps_the_comment_and_says_why(survey):
    response = Client().post(f"/s/{token_for(survey)}/", {"comment": "快递很慢"}, **HTML)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose from 1 to 5." in html
    assert "快递很慢" in html


def test_an_unknown_link_gets_a_friendly_page_not_an_error(db):
    response = Client().get("/s/not-a-real-link/", **HTML)

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_an_expired_link_gets_a_friendly_page_in_chinese(survey):
    with time_machine.travel(survey.expires_at + timedelta(minutes=1), tick=False):
        response = page(Client(), survey, lang="zh-hans")

    assert response.status_code == 410
    assert "链接已过期" in response.content.decode()


def test_the_page_is_rate_limited_per_address_with_a_friendly_page(survey, monkeypatch):
    from config.throttles import SurveyRateThrottle

    monkeypatch.setattr(SurveyRateThrottle, "THROTTLE_RATES", {"survey": "3/min"})
    client = Client()

    answers = [page(client, survey).status_code for _ in range(3)]
    refused = page(client, survey)

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert "Too many tries" in refused.content.decode()
