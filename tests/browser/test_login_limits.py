"""A user who typed the wrong password too often is told why and for how long, in their language."""

from __future__ import annotations

import os

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("SCREENSHOTS")


@pytest.mark.parametrize(("language", "says"), [("en", "Too many failed log-ins"),
                                                ("zh-hans", "登录失败次数过多")])
def test_after_too_many_wrong_passwords_the_log_in_page_says_wait_and_keeps_the_username(
    open_page, transactional_db, settings, shop, language, says
):
    settings.LOGIN_FAILURES_PER_USER = 3
    UserFactory(username="agent1", role="agent", shops=[shop])
    page, url = open_page(language)

    for _ in range(3):
        page.goto(url + "/accounts/login/")
        page.fill("#id_username", "agent1")
        page.fill("#id_password", "not-my-password")
        page.click("button.primary")
        page.wait_for_load_state()

    alert = page.locator("[role=alert]")
    assert says in alert.inner_text()
    assert page.input_value("#id_username") == "agent1"
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/login-locked-{language}.png", full_page=True)
