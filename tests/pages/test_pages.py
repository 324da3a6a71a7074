"""The agents' pages: the queue, the case page and its forms, the notifications, in two languages."""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import Case, State
from notifications.models import Notification
from tests.factories import open_case, walk


def browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


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


def test_my_queue_shows_my_open_cases_most_urgent_first(db, shop, agent, teammate):
    later_case = open_case(shop, by=agent, kind="non_delivery")
    sooner = open_case(shop, by=agent)
    Case.objects.filter(pk__in=[later_case.pk, sooner.pk]).update(assignee=agent)
    theirs = open_case(shop, by=agent)
    Case.objects.filter(pk=theirs.pk).update(assignee=teammate)

    page = browser(agent).get("/").content.decode()

    assert page.index(f'href="/cases/{sooner.pk}/"') < page.index(f'href="/cases/{later_case.pk}/"')
    assert f'href="/cases/{theirs.pk}/"' not in page


def test_the_unassigned_tab_offers_a_claim_button(db, shop, agent):
    case = open_case(shop, by=None)

    page = browser(agent).get("/?tab=unassigned").content.decode()

    assert f'action="/cases/{case.pk}/claim/"' in page


def test_claiming_from_the_queue_makes_the_case_mine(db, shop, agent):
    case = open_case(shop, by=None)

    response = browser(agent).post(f"/cases/{case.pk}/claim/")

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).assignee == agent


def test_the_queue_searches_by_order_number_and_filters_by_kind(db, shop, agent):
    wanted = open_case(shop, by=agent)
    other = open_case(shop, by=agent, kind="non_delivery")
    client = browser(agent)

    by_order = client.get("/", {"tab": "all", "q": wanted.order.number}).content.decode()
    by_kind = client.get("/", {"tab": "all", "kind": "non_delivery"}).content.decode()

    assert f'href="/cases/{wanted.pk}/"' in by_order and f'href="/cases/{other.pk}/"' not in by_order
    assert f'href="/cases/{other.pk}/"' in by_kind and f'href="/cases/{wanted.pk}/"' not in by_kind


def test_a_bad_filter_is_answered_400_with_the_reason_beside_it(db, agent):
    response = browser(agent).get("/", {"state": "done"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_queue_counts_every_case_of_the_tab_across_pages_with_or_without_a_state(
    db, shop, agent
):
    # given 55 open cases of mine, 5 of them acknowledged, and one closed
    cases = [open_case(shop, by=agent) for _ in range(56)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(assignee=agent)
    Case.objects.filter(pk__in=[c.pk for c in cases[:5]]).update(state=State.ACKNOWLEDGED)
    Case.objects.filter(pk=cases[-1].pk).update(state=State.CLOSED)
    client = browser(agent)

    # then the total is the tab's, on every page (the counts per state add up to it)
    first, second = client.get("/"), client.get("/?page=2")
    assert "Page 1 of 2 (55 cases)" in first.content.decode()
    assert "Page 2 of 2 (55 cases)" in second.content.decode()
    assert second.content.decode().count('href="/cases/') == 5
    assert "Page 1 of 1 (5 cases)" in client.get("/?state=acknowledged").content.decode()
    assert "Page 1 of 2 (56 cases)" in client.get("/?tab=all").content.decode()
    assert "No cases here." in client.get("/?state=closed").content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_the_queue_costs_the_same_queries_for_3_or_30_rows(db, shop, agent, rows,
                                                          django_assert_max_num_queries):
    for _ in range(rows):
        open_case(shop, by=agent)
    client = browser(agent)

    # 10: the tabs' counts are one query of their own (they were not shown before the live queue)
    with django_assert_max_num_queries(10):
        response = client.get("/?tab=all")
    assert response.content.decode().count('href="/cases/') == rows


def test_the_case_page_shows_the_steps_deadlines_and_the_forms_this_agent_may_use(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")

    page = browser(agent).get(f"/cases/{case.pk}/").content.decode()

    assert 'class="done"' in page  # calm is done
    assert f'action="/cases/{case.pk}/transitions/listen/"' in page
    assert f'action="/cases/{case.pk}/transitions/hand_over/"' not in page  # supervisors only
    assert "Resolution" in page or "resolution" in page


def test_the_phone_is_masked_and_only_the_assignee_and_supervisors_may_reveal_it(
    db, shop, agent, teammate, supervisor
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    reveal = f'action="/cases/{case.pk}/reveal/"'

    mine = browser(agent).get(f"/cases/{case.pk}/").content.decode()
    supervised = browser(supervisor).get(f"/cases/{case.pk}/").content.decode()
    shown = browser(agent).post(f"/cases/{case.pk}/reveal/", {"field": "phone"})

    assert "138****8000" in mine and "13800138000" not in mine and reveal in mine
    assert "13800138000" not in supervised and reveal in supervised
    assert "13800138000" in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    # a teammate may read the case, masked, and is refused the reveal
    refused = browser(teammate).post(f"/cases/{case.pk}/reveal/", {"field": "phone"})
    assert refused.status_code == 403
    assert "13800138000" not in refused.content.decode()


def test_an_outsider_gets_404_on_the_case_page_and_its_forms(db, shop, agent, outsider):
    case = open_case(shop, by=agent)
    client = browser(outsider)

    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.post(f"/cases/{case.pk}/transitions/acknowledge/",
                       {"acknowledge-message": "hi"}).status_code == 404
    assert Case.objects.get(pk=case.pk).state == State.NEW


def test_a_step_runs_from_its_form_and_lands_back_on_the_case(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    response = browser(agent).post(f"/cases/{case.pk}/transitions/calm/",
                                   {"calm-note": "Let the buyer vent, apologised."})

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.CALMED


def test_a_form_without_its_required_field_is_shown_again_with_the_error_beside_it(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/transitions/calm/", {"calm-note": ""})

    assert response.status_code == 302
    assert "This field is required." in client.get(response["Location"]).content.decode()
    assert Case.objects.get(pk=case.pk).state == State.ACKNOWLEDGED


def test_the_services_field_errors_are_shown_beside_the_fields(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")

    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/transitions/propose/",
                           {"propose-remedy": "partial_refund", "propose-amount": "500"})

    assert response.status_code == 302
    assert "never exceed what was paid" in client.get(response["Location"]).content.decode()
    assert Case.objects.get(pk=case.pk).state == State.UNDERSTOOD


def test_two_agents_on_one_case_the_loser_sees_the_current_state_not_an_error_page(
    db, shop, agent, supervisor
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    walk(case, supervisor, "calm")  # the supervisor got there first

    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/transitions/calm/", {"calm-note": "Apologised."})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "This case changed; here is its current state." in page
    assert f'action="/cases/{case.pk}/transitions/listen/"' in page


def test_a_refused_contact_is_explained(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    case.customer.do_not_contact = True
    case.customer.save()

    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/contacts/", {
        "contact-channel": "call", "contact-direction": "outbound", "contact-outcome": "reached"})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "asked not to be contacted" in page
    assert "This case changed" not in page  # it did not
    assert "Remind me" not in page  # no time will do


def test_a_contact_is_logged_from_its_form(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    response = browser(agent).post(f"/cases/{case.pk}/contacts/", {
        "contact-channel": "call", "contact-direction": "outbound", "contact-outcome": "reached",
        "contact-body": "Talked it through."})

    assert response.status_code == 302
    assert case.contacts.count() == 1


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


# --- who may open which page --------------------------------------------------------------------

PERSONAS = ["anonymous", "agent", "teammate", "supervisor", "outsider"]
EXPECTED = {
    # page: status for each persona, in PERSONAS order (302: to the login form)
    "/": [302, 200, 200, 200, 200],
    "/notifications/": [302, 200, 200, 200, 200],
    "/escalations/": [302, 403, 403, 200, 403],
    "/team/": [302, 403, 403, 200, 403],
    "/cases/{mine}/": [302, 200, 200, 200, 404],  # a teammate reads it (no actions)
    "/cases/{unassigned}/": [302, 200, 200, 200, 404],
}


@pytest.mark.parametrize("path", list(EXPECTED))
def test_each_page_answers_each_persona_as_the_rules_say(db, shop, agent, teammate, supervisor,
                                                       outsider, path):
    mine = open_case(shop, by=agent)
    Case.objects.filter(pk=mine.pk).update(assignee=agent)
    unassigned = open_case(shop, by=None)
    users = {"anonymous": None, "agent": agent, "teammate": teammate, "supervisor": supervisor,
             "outsider": outsider}
    url = path.format(mine=mine.pk, unassigned=unassigned.pk)

    got = [browser(users[p]).get(url).status_code for p in PERSONAS]

    assert got == EXPECTED[path]


@pytest.mark.parametrize(("action", "data"), [
    ("transitions/acknowledge/", {"acknowledge-message": "您好"}),
    ("contacts/", {"contact-channel": "chat", "contact-direction": "outbound",
                   "contact-body": "您好"}),
    ("claim/", {}),
    ("buyer-profile/", {"profile-temperament": "friendly"}),
])
def test_a_teammate_cannot_act_on_a_case_that_is_not_theirs(db, shop, agent, teammate, action,
                                                            data):
    case = open_case(shop, by=agent)
    Case.objects.filter(pk=case.pk).update(assignee=agent)
    events = case.timeline.count()

    response = browser(teammate).post(f"/cases/{case.pk}/{action}", data)

    assert response.status_code == 302  # to the case (told why) or, for a claim, to the queue
    assert case.timeline.count() == events
    assert Case.objects.get(pk=case.pk).assignee == agent


def test_a_row_turns_amber_within_the_shops_own_warning_lead(db, shop, agent):
    from datetime import timedelta

    from django.utils import timezone

    from cases.models import DeadlinePolicy

    DeadlinePolicy.objects.create(shop=shop, kind="refund", first_response=timedelta(hours=24),
                                  resolution=timedelta(days=3), warning_lead=timedelta(hours=12))
    case = open_case(shop, by=agent)
    Case.objects.filter(pk=case.pk).update(assignee=agent,
                                           next_due_at=timezone.now() + timedelta(hours=8))

    page = browser(agent).get("/").content.decode()

    assert '<tr class="soon">' in page


def test_the_page_after_a_reveal_shows_the_reveal_on_the_timeline(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    page = browser(agent).post(f"/cases/{case.pk}/reveal/", {"field": "phone"}).content.decode()

    # the timeline names the event in words, never by its code
    assert "Buyer details revealed" in page
    assert "pii_revealed" not in page


def test_the_timeline_names_every_event_in_the_readers_language(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    english = browser(agent).get(f"/cases/{case.pk}/").content.decode()
    chinese = browser(agent).get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    for code in ("case_opened", "case_claimed", "<strong>acknowledge</strong>"):
        assert code not in english and code not in chinese
    assert "Case opened" in english
    assert "案件已创建" in chinese
