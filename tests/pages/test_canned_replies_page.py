"""The supervisors' page of quick replies: add, see the reason for a bad one, edit, archive."""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import CannedReply
from tests.cases.canned import a_reply
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PAGE = "/canned-replies/"


def browser(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def form(**overrides):
    data = {"shop": "demo", "title": "Greeting", "shortcut": "hi", "language": "zh-hans",
            "kind": "", "step": "", "body": "{buyer}您好，我是客服{agent}，很高兴为您服务。"}
    data.update(overrides)
    return data


def test_a_supervisor_adds_a_quick_reply_and_is_redirected_to_the_list(shop, supervisor):
    client = browser(supervisor)

    response = client.post(PAGE, form(kind="refund", step="acknowledge"))

    assert response.status_code == 302 and response["Location"] == PAGE
    reply = CannedReply.objects.get()
    assert (reply.shortcut, reply.kind, reply.step, reply.created_by) == (
        "hi", "refund", "acknowledge", supervisor)
    page = client.get(PAGE).content.decode()
    assert "/hi" in page and "Refund" in page and "Acknowledge" in page


def test_a_bad_reply_shows_the_reason_beside_the_field_and_keeps_what_was_typed(shop, supervisor):
    response = browser(supervisor).post(PAGE, form(body="亲，这个不行，{nickname}"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "{nickname}" in page and "say instead" in page
    assert "亲，这个不行，{nickname}</textarea>" in page
    assert 'value="Greeting"' in page and 'value="hi"' in page
    assert not CannedReply.objects.exists()


def test_the_page_is_in_chinese_for_chinese_readers(shop, supervisor):
    a_reply(shop, supervisor, kind="negative_review", step="request_revision")

    page = browser(supervisor, "zh-hans").get(PAGE).content.decode()

    assert "快捷短语" in page and "中差评" in page
    assert "request_revision" not in page.replace('value="request_revision"', "")
    assert "negative_review" not in page.replace('value="negative_review"', "")


def test_the_page_lists_the_variables_with_what_they_are_filled_with(shop, supervisor):
    page = browser(supervisor).get(PAGE).content.decode()

    assert "<code>{buyer}</code>" in page and "the order number" in page.lower()


def test_agents_get_403_on_the_page_and_its_forms(shop, agent, supervisor):
    reply = a_reply(shop, supervisor)
    client = browser(agent)

    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, form(shortcut="x")).status_code == 403
    assert client.post(f"{PAGE}{reply.pk}/archive/").status_code == 403
    assert CannedReply.objects.count() == 1 and not CannedReply.objects.get().archived


def test_a_supervisor_edits_and_archives_a_reply(shop, supervisor):
    reply = a_reply(shop, supervisor)
    client = browser(supervisor)

    edit_page = client.get(f"{PAGE}?edit={reply.pk}").content.decode()
    assert f'action="{PAGE}{reply.pk}/"' in edit_page and 'value="Greeting"' in edit_page
    response = client.post(f"{PAGE}{reply.pk}/", form(title="Welcome"))
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.title == "Welcome"

    assert client.post(f"{PAGE}{reply.pk}/archive/").status_code == 302
    reply.refresh_from_db()
    assert reply.archived
    assert "<code>/hi</code>" not in client.get(PAGE).content.decode()


def test_another_shops_supervisor_cannot_see_or_change_the_shops_replies(shop, other_shop,
                                                                         supervisor):
    reply = a_reply(shop, supervisor)
    foreign = UserFactory(username="boss2", role="supervisor", shops=[other_shop])
    client = browser(foreign)

    assert "Greeting" not in client.get(PAGE).content.decode()
    assert client.get(f"{PAGE}?edit={reply.pk}").status_code == 404
    assert client.post(f"{PAGE}{reply.pk}/", form(shop="elsewhere")).status_code == 404
    assert client.post(f"{PAGE}{reply.pk}/archive/").status_code == 404
    assert client.post(PAGE, form()).status_code == 400  # the shop is not among theirs


def test_the_nav_links_the_page_for_supervisors_not_agents(shop, agent, supervisor):
    assert f'href="{PAGE}"' in browser(supervisor).get("/").content.decode()
    assert f'href="{PAGE}"' not in browser(agent).get("/").content.decode()
