"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Without /usr/bin/chromium they are skipped, unless REQUIRE_BROWSER=1 (CI installs it and sets it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Playwright's sync API runs an event loop in the test's thread; the test's own ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        reason = f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ])
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium, live_server):
    """open_page(language="en") → a new page of a new browser context, and the site's address."""
    contexts = []

    def make(language: str = "en"):
        context = chromium.new_context(viewport={"width": 1280, "height": 900},
                                       extra_http_headers={"Accept-Language": language})
        contexts.append(context)
        return context.new_page(), live_server.url

    yield make
    for context in contexts:
        context.close()


def log_in(page, url: str, username: str) -> None:
    page.goto(url + "/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button.primary")
    page.wait_for_url(url + "/")


# What a dump of the demo leaves out: rows the database makes again after each test's flush
# (content types and permissions, by post_migrate) and rows of a visit, not of the demo.
NOT_DUMPED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


class DemoDumps:
    """The demos made in this session, each dumped to a file the first time it is made."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.made = folder, {}

    def once(self, name: str, make: Any) -> None:
        """The demo `name`: made by `make()` the first time in the session, then loaded from its
        dump.

        A browser test needs committed rows (the live server reads them from its own thread), so
        each test starts from an emptied database and must put the demo back: loading a dump takes
        a second, seeding the demo again ten. Foreign keys to users, groups and permissions are
        written by name (natural keys), so the dump loads after the flush has made the
        permissions again.
        """
        dump = self.made.get(name)
        if dump is None:
            make()
            dump = self.folder / f"{name}.json"
            call_command("dumpdata", natural_foreign=True, exclude=NOT_DUMPED, output=str(dump),
                         verbosity=0)
            self.made[name] = dump
        else:
            call_command("loaddata", str(dump), verbosity=0)


@pytest.fixture(scope="session")
def demo_dumps(tmp_path_factory) -> DemoDumps:
    return DemoDumps(tmp_path_factory.mktemp("demo-dumps"))
