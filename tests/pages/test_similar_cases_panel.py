"""The case page shows the shop's similar resolved cases with their replies, and at *listen* the
likely cause pre-selected with its confidence: suggestions, the agent decides."""

from __future__ import annotations

import pytest

from tests.cases.assistant_cases import (
    CRACKED,
    everything_represented,
    resolved_refund,
    resolved_review,
)
from tests.factories import open_case, reach_buyer, step, walk
from tests.pages.browsing import browser
from tests.reviews.factories import open_review_case

pytestmark = pytest.mark.usefixtures("no_cached_matrices")


def test_the_case_page_shows_similar_resolved_cases_with_a_reply_to_use(shop, agent):
    old = resolved_refund(shop, agent, CRACKED, reply="非常抱歉，杯子的问题我们马上为您退款30元。")
    new = open_case(shop, by=agent, description=CRACKED)
    everything_represented()

    page = browser(agent).get(f"/cases/{new.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Similar resolved cases" in page
    assert f'href="/cases/{old.pk}/"' in page
    assert "Partial refund" in page and "¥30.00" in page
    assert 'data-reply="非常抱歉，杯子的问题我们马上为您退款30元。"' in page
    assert "Use this reply" in page


def test_the_panel_speaks_chinese_too(shop, agent):
    resolved_refund(shop, agent, CRACKED)
    new = open_case(shop, by=agent, description=CRACKED)
    everything_represented()

    page = browser(agent).get(f"/cases/{new.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "相似的已解决案件" in page and "用这条回复" in page


def test_a_teammate_reads_the_similar_cases_but_has_no_button(shop, agent, teammate):
    resolved_refund(shop, agent, CRACKED)
    new = walk(open_case(shop, by=agent, description=CRACKED), agent, "acknowledge")
    everything_represented()

    page = browser(teammate).get(f"/cases/{new.pk}/").content.decode()

    assert 'id="similar-cases"' in page
    assert 'class="use-reply"' not in page


def test_a_closed_case_shows_no_panel(shop, agent):
    old = resolved_refund(shop, agent, CRACKED)
    everything_represented()

    reach_buyer(old, agent)
    step(old, "close", agent)

    assert 'id="similar-cases"' not in browser(agent).get(f"/cases/{old.pk}/").content.decode()


def test_listen_offers_the_likely_cause_pre_selected_with_its_confidence(shop, agent):
    for i in range(5):
        resolved_review(shop, agent, f"{CRACKED} {i}", cause="logistics")
    new = walk(open_review_case(shop, by=agent, text=CRACKED), agent, "calm")
    everything_represented()

    page = browser(agent).get(f"/cases/{new.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<option value="logistics" selected>' in page
    assert "Suggested: Logistics, by 100 % of the most similar resolved reviews. You decide." in page


def test_the_page_with_the_panel_costs_the_same_queries_for_3_or_8_similar_cases(
    shop, agent, django_assert_num_queries
):
    new = walk(open_case(shop, by=agent, description=CRACKED), agent, "acknowledge")
    for i in range(3):
        resolved_refund(shop, agent, f"{CRACKED} {i}")
    everything_represented()
    client = browser(agent)
    client.get(f"/cases/{new.pk}/")  # the session, the roles and the shop's matrix, once
    with django_assert_num_queries(PAGE_WITH_SIMILAR):
        assert client.get(f"/cases/{new.pk}/").status_code == 200

    for i in range(5):
        resolved_refund(shop, agent, f"{CRACKED} 再 {i}")
    everything_represented()
    client.get(f"/cases/{new.pk}/")  # the matrix again, after the resolutions
    with django_assert_num_queries(PAGE_WITH_SIMILAR):
        assert client.get(f"/cases/{new.pk}/").status_code == 200


# The case page's queries (tests/pages/test_case_console.py) and the assistant's two: the case's
# vector with its shop's stamp, the similar cases' rows.
PAGE_WITH_SIMILAR = 13
