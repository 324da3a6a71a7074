"""The queue while it is open: another agent opens and takes cases, and the page shows it without
a reload (live.js asks every LIVE_POLL_SECONDS; the test makes that one second)."""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from cases import services
from cases.models import Case
from notifications.models import Notification, ReminderKind
from tests.browser.conftest import log_in
from tests.factories import open_case

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("SCREENSHOTS")


@pytest.fixture(autouse=True)
def _ask_every_second(settings):
    settings.LIVE_POLL_SECONDS = 1


def test_the_open_queue_shows_new_cases_counts_and_a_case_taken_by_someone_else(
    open_page, transactional_db, shop, agent, teammate
):
    waiting = open_case(shop, by=None)
    open_case(shop, by=None)
    page, url = open_page()
    log_in(page, url, "agent1")
    page.goto(url + "/?tab=unassigned")
    page.evaluate("window.drawn = true")  # gone if the page were loaded again
    assert page.locator(".tab-count[data-tab=unassigned]").inner_text() == "2"
    assert not page.locator("#live-new").is_visible()

    # another agent takes a case of the page, and the shop opens two more
    services.claim_case(case_id=waiting.pk, by=teammate)
    open_case(shop, by=None)
    open_case(shop, by=None)

    page.locator("#live-new").wait_for(state="visible", timeout=10_000)
    assert page.locator("#live-new").inner_text() == "2 new cases — show"
    taken = page.locator("#queue-rows tr.taken")
    taken.wait_for(timeout=10_000)
    assert taken.locator("a.open").inner_text() == str(waiting.pk)
    assert "Taken by agent2" in taken.inner_text()
    assert taken.locator("form.claim").count() == 0
    assert page.locator(".tab-count[data-tab=unassigned]").inner_text() == "3"
    assert page.evaluate("window.drawn") is True  # no reload

    page.click("#live-new a")
    page.wait_for_load_state()
    assert page.locator("#queue-rows a.open").count() == 3


def test_the_bell_counts_a_new_notification_on_any_page(open_page, transactional_db, shop,
                                                         agent):
    case = open_case(shop, by=agent)
    Case.objects.filter(pk=case.pk).update(assignee=agent)
    page, url = open_page("zh-hans")
    log_in(page, url, "agent1")
    page.goto(url + f"/cases/{case.pk}/")
    assert not page.locator("#unread").is_visible()

    Notification.objects.create(recipient=agent, case=case, kind=ReminderKind.FOLLOW_UP_DUE,
                                data={"case_id": case.pk})

    page.locator("#unread").wait_for(state="visible", timeout=10_000)
    assert page.locator("#unread").inner_text() == "1"
    assert page.locator("#unread").get_attribute("aria-label") == "1 条未读"


def test_a_hidden_tab_does_not_ask(open_page, transactional_db, shop, agent):
    page, url = open_page()
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/live/" in request.url
            else None)
    log_in(page, url, "agent1")
    page.wait_for_timeout(2500)
    assert asked, "a visible tab asks"

    # the Page Visibility API says the tab is hidden
    page.evaluate("""() => {
        Object.defineProperty(document, 'hidden', {value: true, configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    page.wait_for_timeout(300)
    before = len(asked)
    page.wait_for_timeout(2500)
    assert len(asked) == before


@pytest.mark.skipif(not SCREENSHOTS, reason="SCREENSHOTS=<dir> to take the guide's pictures")
@pytest.mark.parametrize("language, name", [("en", "queue-live-en"), ("zh-hans", "queue-live-zh")])
def test_the_guides_pictures_of_the_live_queue(open_page, transactional_db, language, name):
    call_command("seed_demo", cases=60, reviews=10, verbosity=0, stdout=StringIO(),
                 stderr=StringIO())
    agent, other = User.objects.get(username="agent1"), User.objects.get(username="agent2")
    shop = agent.shops.first()
    page, url = open_page(language)
    log_in(page, url, "agent1")
    page.goto(url + "/?tab=unassigned")
    first = page.locator("#queue-rows a.open").nth(1).inner_text()

    services.claim_case(case_id=int(first), by=other)
    for _ in range(3):
        open_case(shop, by=None)

    page.locator("#live-new").wait_for(state="visible", timeout=10_000)
    page.locator("#queue-rows tr.taken").wait_for(timeout=10_000)
    page.screenshot(path=f"{SCREENSHOTS}/{name}.png", clip={"x": 0, "y": 0, "width": 1280,
                                                            "height": 720})
