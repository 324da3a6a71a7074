"""The similar resolved cases on a case page in a real browser: one of their replies starts the
agent's reply (filled into the reply box, never sent by itself)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import Contact, Direction
from tests.browser.conftest import log_in
from tests.cases.assistant_cases import CRACKED, everything_represented, resolved_refund
from tests.factories import open_case

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_cached_matrices")]

REPLY = "非常抱歉，杯子的问题我们马上为您退款30元。"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_similar_cases_reply_starts_the_agents_reply(open_page, transactional_db, shop, agent,
                                                        language, tmp_path):
    old = resolved_refund(shop, agent, CRACKED, reply=REPLY)
    case = open_case(shop, by=agent, description=CRACKED + "，想要退款")
    everything_represented()
    page, url = open_page(language)
    log_in(page, url, "agent1")
    page.goto(f"{url}/cases/{case.pk}/")

    panel = page.locator("#similar-cases")
    expect(panel.locator(f'a[href="/cases/{old.pk}/"]')).to_be_visible()
    expect(panel.locator("blockquote.reply")).to_have_text(REPLY)
    panel.locator("button.use-reply").first.click()

    box = page.locator("#id_message-body")
    expect(box).to_have_value(REPLY)
    expect(box).to_be_focused()
    sent = Contact.objects.filter(case=case, direction=Direction.OUTBOUND).count()
    assert sent == 0  # filled, not sent: the agent edits and sends
    panel.screenshot(path=str(tmp_path / f"similar-{language}.png"))
    if language == "en":
        panel.screenshot(path="docs/screenshots/similar-cases.png")
    else:
        panel.screenshot(path="docs/screenshots/similar-cases-zh.png")
