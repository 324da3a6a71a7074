"""The agents' pages: logging in, the bell and the notifications list, the pages in two languages."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from tests.factories import open_case
from tests.pages.browsing import browser


@pytest.mark.parametrize("path", ["/", "/cases/1/", "/notifications/"])
def test_an_anonymous_visit_lands_on_the_login_form(db, path):
    response = browser().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_an_agent_logs_in_with_the_form_and_lands_on_their_queue(db, agent):
    response = browser().post("/accounts/login/", {"username": "agent1", "password": "demo"})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_is_told_on_the_form(db, agent):
    response = browser().post("/accounts/login/", {"username": "agent1", "password": "nope"})

    assert response.status_code == 200
    assert "password didn't match" in response.content.decode()


def test_the_bell_counts_unread_notifications_and_the_list_marks_them_read(db, shop, agent):
    case = open_case(shop, by=agent)
    notification = Notification.objects.create(recipient=agent, case=case, kind="handed_over",
                                               data={"case_id": case.pk})
    client = browser(agent)

    assert 'class="badge"' in client.get("/").content.decode()
    assert f"Case #{case.pk} was handed over to you" in client.get("/notifications/").content.decode()

    response = client.post(f"/notifications/{notification.pk}/read/", {"open": "1"})

    assert response["Location"] == f"/cases/{case.pk}/"
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_the_pages_speak_chinese_when_the_browser_asks(db, shop, agent):
    case = open_case(shop, by=agent)

    page = browser(agent).get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert f"案件 #{case.pk}" in page
    assert 'lang="zh-hans"' in page


def test_the_language_switch_remembers_the_choice(db, agent):
    client = browser(agent)

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    assert 'lang="zh-hans"' in client.get("/").content.decode()
