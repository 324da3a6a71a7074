"""The reply composer's phrase check and the buyer's profile on the case page."""

from __future__ import annotations

from tests.factories import open_case, walk
from tests.pages.browsing import browser


def test_the_composer_checks_a_reply_for_phrases_to_avoid(db, shop, agent):
    case = open_case(shop, by=agent)

    response = browser(agent).post(f"/cases/{case.pk}/phrase-check/", {"text": "亲，我不能退款。"})

    assert response.json() == {"hits": [{"phrase": "我不能", "start": 2, "end": 5,
                                         "suggestion": "看看我们能够帮你做什么"}]}


def test_the_composer_refuses_text_it_cannot_check(db, shop, agent, outsider):
    case = open_case(shop, by=agent)

    assert browser(agent).post(f"/cases/{case.pk}/phrase-check/", {}).status_code == 400
    assert browser(agent).post(f"/cases/{case.pk}/phrase-check/",
                               {"text": "x" * 4001}).status_code == 400
    assert browser(outsider).post(f"/cases/{case.pk}/phrase-check/",
                                  {"text": "hi"}).status_code == 404


def test_message_fields_are_marked_for_the_live_phrase_check(db, shop, agent):
    case = open_case(shop, by=agent)

    page = browser(agent).get(f"/cases/{case.pk}/").content.decode()

    assert 'data-phrase-check="1"' in page
    assert "pages/composer.js" in page


def test_the_agent_records_the_buyers_profile_and_sees_how_to_serve_them(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/buyer-profile/", {
        "profile-temperament": "dominant", "profile-product_knowledge": "novice"})

    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "make them feel respected" in page
    assert "Explain in detail." in page
    assert case.timeline.filter(type="buyer_profiled").count() == 1


def test_an_unknown_temperament_is_refused_beside_the_field(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/buyer-profile/", {"profile-temperament": "grumpy"})

    assert response.status_code == 302
    assert "Select a valid choice" in client.get(response["Location"]).content.decode()
    case.customer.refresh_from_db()
    assert case.customer.temperament == ""
