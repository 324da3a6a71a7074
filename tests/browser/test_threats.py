"""A buyer's threat in a real browser: the case comes first in the queue with its badge, and the
case page names it with the buyer's words, in English and in Chinese.

SCREENSHOTS=docs/screenshots keeps the pictures (threat-queue-en.png, threat-case-zh.png, …)."""

from __future__ import annotations

import os

import pytest

from cases import services
from cases.models import Case, ThreatRule
from tests.browser.conftest import log_in
from tests.factories import open_case

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("SCREENSHOTS")

PLAIN = ["杯子有裂痕，请尽快处理。", "The parcel has not arrived after 12 days.",
         "颜色和图片不一样，想换货。", "Wrong size sent, please exchange."]
THREAT = "三天了还不给退款，再不处理我就去12315投诉，还要找律师起诉你们"


@pytest.mark.parametrize(("language", "name", "words"), [
    ("en", "Complaint to a regulator", "12315"), ("zh-hans", "向监管部门投诉", "12315")])
def test_a_threatened_case_leads_the_queue_and_its_page_names_the_threat(
    open_page, transactional_db, shop, agent, supervisor, language, name, words
):
    # (a transactional test starts without the rules the data migration made)
    for code, pattern in [("regulator", "12315"), ("platform_complaint", "投诉"),
                          ("legal", "律师"), ("legal", "起诉")]:
        ThreatRule.objects.get_or_create(shop=None, code=code, pattern=pattern)
    for text in PLAIN:
        open_case(shop, by=None, description=text)
    case = open_case(shop, by=None, description="退款一直没到账。")
    services.log_contact(case_id=case.pk, by=None, data={
        "channel": "chat", "direction": "inbound", "body": THREAT})
    assert Case.objects.get(pk=case.pk).flagged
    page, url = open_page(language)
    log_in(page, url, "supervisor1")

    page.goto(url + "/?tab=all")

    first = page.locator("table.queue tbody tr").first
    assert first.locator("a.open").inner_text() == str(case.pk)
    badge = first.locator(".threat-regulator")
    assert name in badge.inner_text() and words in badge.inner_text()
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/threat-queue-{language[:2]}.png")

    page.goto(url + f"/cases/{case.pk}/")

    header = page.locator(".case-head .threats")
    assert name in header.inner_text() and "律师" in header.inner_text()
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/threat-case-{language[:2]}.png")
