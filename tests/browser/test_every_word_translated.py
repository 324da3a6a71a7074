"""Every page in Chinese has no English word of the product's, and every page in English no Chinese.

The demo shop (seed_demo, small) after the deadline sweep and the reminders' delivery, so the
queue, the escalations and the notifications have what they have in real use. Each language walks
every page as agent1, supervisor1 and admin in one browser context; what people typed or named is
skipped (tests/browser/words.py: the `translate="no"` marker), and so are the accounts' usernames,
which a page may set inside a sentence ("agent1 (3 open, 1 breached)").
"""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from cases.models import Case, Kind, State
from cases.services.escalation import escalate_breached_cases
from tests.browser.words import foreign_words, page_texts
from tests.notifications.helpers import deliver_due

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("SCREENSHOTS")
LANGUAGES = ["zh-hans", "en"]

AGENT_PAGES = ["/", "/?tab=unassigned", "/?tab=soon", "/?tab=all",
               "/?tab=all&kind=negative_review&state=escalated", "/?tab=all&kind=refund&q=1",
               "/?tab=all&assignee=none&breached=0", "/?tab=all&assignee=me&breached=1",
               "/notifications/", "/reports/", "/no-such-page/"]
SUPERVISOR_PAGES = ["/escalations/", "/team/", "/?tab=all&assignee=agent1&breached=1&state=new",
                    "/canned-replies/", "/reports/", "/reports/?group_by=agent",
                    "/reports/?group_by=week&kind=negative_review", "/reports/?since=not-a-date",
                    "/admin/", "/admin/cases/case/"]
ADMIN_PAGES = ["/admin/", "/admin/axes/accessattempt/", "/admin/cases/marketplacerule/",
               "/admin/notifications/notification/"]
# The agent scorecard: an agent's own row; every agent for a supervisor, sorted; a bad date.
AGENT_PAGES += ["/reports/agents/"]
SUPERVISOR_PAGES += ["/reports/agents/", "/reports/agents/?sort=-resolution_median_hours",
                     "/reports/agents/?since=not-a-date"]


@pytest.fixture
def demo(transactional_db, demo_dumps):
    def make() -> None:
        call_command("seed_demo", cases=40, reviews=34, verbosity=0, stdout=StringIO(),
                     stderr=StringIO())
        escalate_breached_cases()
        deliver_due()

    demo_dumps.once("swept", make)
    return set(User.objects.values_list("username", flat=True))


def said(found: dict[str, set]) -> str:
    return "words in the wrong language:\n" + "\n".join(
        f"  {where}: {' | '.join(sorted(words))}" for where, words in found.items())


def log_in_as(page, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button.primary")
    page.wait_for_url(url + "/")


def walk(page, url: str, paths: list[str], language: str, usernames: set[str]) -> dict[str, set]:
    """The foreign words found on each page, by path."""
    found = {}
    for path in paths:
        page.goto(url + path)
        texts = page_texts(page)
        for name in sorted(usernames, key=len, reverse=True):
            texts = [text.replace(name, " ") for text in texts]
        words = foreign_words(texts, language)
        if words:
            found[path] = words
        if SCREENSHOTS:
            shot = path.strip("/").replace("/", "_").replace("?", "_") or "queue"
            page.screenshot(path=f"{SCREENSHOTS}/words-{language}-{shot}.png", full_page=True)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_speaks_the_reader_s_language_only(open_page, demo, settings, language):
    page, url = open_page(language)
    found = walk(page, url, ["/accounts/login/"], language, demo)

    log_in_as(page, url, "agent1")
    found |= {f"agent1 {p}": w for p, w in walk(page, url, AGENT_PAGES, language, demo).items()}
    log_in_as(page, url, "supervisor1")
    found |= {f"supervisor1 {p}": w
              for p, w in walk(page, url, SUPERVISOR_PAGES, language, demo).items()}
    log_in_as(page, url, "admin")
    found |= {f"admin {p}": w for p, w in walk(page, url, ADMIN_PAGES, language, demo).items()}

    # the locked-out page, last (it locks the address out)
    page.context.clear_cookies()
    settings.LOGIN_FAILURES_PER_USER = 2
    for _ in range(2):
        page.goto(url + "/accounts/login/")
        page.fill("#id_username", "nobody")
        page.fill("#id_password", "wrong")
        page.click("button.primary")
        page.wait_for_load_state()
    assert page.locator("[role=alert]").count() == 1
    found |= {f"locked out {p}": w
              for p, w in walk(page, url, [], language, demo).items()}
    words = foreign_words(page_texts(page), language)
    if words:
        found["locked out /accounts/login/"] = words

    assert not found, said(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_case_page_of_each_kind_and_state_speaks_the_reader_s_language_only(
    open_page, demo, language
):
    # one case of agent1 per kind, open and closed, and an escalated one
    cases = []
    for kind in Kind.values:
        mine = Case.objects.filter(kind=kind, assignee__username="agent1").order_by("id")
        cases += [c for c in (mine.exclude(state=State.CLOSED).first(),
                              mine.filter(state=State.CLOSED).first(),
                              mine.filter(state=State.ESCALATED).first()) if c]
    assert {c.kind for c in cases} == set(Kind.values)
    page, url = open_page(language)
    log_in_as(page, url, "agent1")

    found = walk(page, url, [f"/cases/{c.pk}/" for c in cases], language, demo)

    assert not found, said(found)
