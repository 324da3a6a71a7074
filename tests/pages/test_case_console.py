"""The case page as the agent's console: what was agreed, the next step, the refusals that help,
Post/Redirect/Get, the claim race, teammates who read, and what it costs."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client

from cases.models import Case, Contact, Kind, PhraseRule, State, Survey
from cases.services.surveys import answer_survey
from cases.surveys import token_for
from notifications.models import Reminder, ReminderKind
from tests.cases.contact_rules import SHANGHAI, at, with_quiet_hours
from tests.factories import TO_RESOLVED, log, open_case, reach_buyer, step, walk
from tests.reviews.factories import open_review_case


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def follow(client: Client, response) -> str:
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


@pytest.fixture
def phrase_rules(db):
    PhraseRule.objects.get_or_create(shop=None, phrase="我不能",
                                     defaults={"suggestion": "看看我们能够帮你做什么"})
    PhraseRule.objects.get_or_create(shop=None, phrase="I can't",
                                     defaults={"suggestion": "let's see what we can do for you"})


# --- what was agreed ------------------------------------------------------------------------------

def test_the_agreed_partial_refund_is_shown_with_its_currency_who_proposed_it_and_when_accepted(
        shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")
    step(case, "propose", agent, remedy="partial_refund", amount="100.00")
    step(case, "accept", agent)

    english = browser(agent).get(f"/cases/{case.pk}/").content.decode()
    chinese = browser(agent).get(f"/cases/{case.pk}/",
                                 HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "Partial refund" in english and "¥100.00" in english
    assert "by agent1" in english and "accepted" in english
    assert "部分退款" in chinese and "¥100.00" in chinese and "买家已于" in chinese
    assert "partial_refund" not in english and "partial_refund" not in chinese


def test_the_api_gives_the_agreed_remedy_or_null(api, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")
    assert api(agent).get(f"/api/v1/cases/{case.pk}/").json()["agreed_remedy"] is None

    step(case, "propose", agent, remedy="partial_refund", amount="100")
    proposed = api(agent).get(f"/api/v1/cases/{case.pk}/").json()["agreed_remedy"]
    step(case, "accept", agent)
    accepted = api(agent).get(f"/api/v1/cases/{case.pk}/").json()["agreed_remedy"]

    assert set(proposed) == {"remedy", "amount", "currency", "proposed_at", "accepted_at"}
    assert (proposed["remedy"], proposed["amount"], proposed["currency"]) == (
        "partial_refund", "100.00", "CNY")
    assert proposed["proposed_at"] and proposed["accepted_at"] is None
    assert accepted["accepted_at"] and accepted["proposed_at"] == proposed["proposed_at"]


def test_a_review_cases_coupon_is_what_was_agreed_and_the_review_itself_is_shown(shop, agent):
    case = walk(open_review_case(shop, by=agent), agent, "calm", "listen")
    step(case, "remedy", agent, remedy="coupon", amount="20")

    page = browser(agent).get(f"/cases/{case.pk}/").content.decode()

    assert "Coupon" in page and "¥20.00" in page
    assert "★" in page and "☆" in page  # the stars of the rating
    assert "杯子有裂痕，客服态度也不好。" in page and "cups" in page


def test_the_order_shows_the_paid_and_claimed_amounts_as_people_read_them(shop, agent):
    case = open_case(shop, by=agent)

    page = browser(agent).get(f"/cases/{case.pk}/").content.decode()

    assert f"¥{case.order.paid_amount:,.2f}" in page
    assert f"¥{case.claimed_amount:,.2f}" in page


# --- the next step and its forms -------------------------------------------------------------------

def test_the_next_step_is_the_one_primary_action_and_the_ways_off_the_path_come_after(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")

    page = browser(agent).get(f"/cases/{case.pk}/").content.decode()

    primary = page.index('class="primary-action"')
    listen = page.index(f'action="/cases/{case.pk}/transitions/listen/"')
    escalate = page.index(f'action="/cases/{case.pk}/transitions/escalate/"')
    assert primary < listen < escalate
    assert "Hand over" not in page.split('aria-label="De-escalation steps"')[1].split("</ol>")[0]


def test_a_supervisor_sees_hand_over_as_a_step(shop, agent, supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    page = browser(supervisor).get(f"/cases/{case.pk}/").content.decode()

    assert "Hand over" in page.split('aria-label="De-escalation steps"')[1].split("</ol>")[0]


def test_the_refund_listen_form_asks_for_no_tracking_or_evidence(shop, agent):
    refund = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")
    lost = walk(open_case(shop, by=agent, kind=Kind.NON_DELIVERY), agent, "acknowledge", "calm")

    refund_page = browser(agent).get(f"/cases/{refund.pk}/").content.decode()
    lost_page = browser(agent).get(f"/cases/{lost.pk}/").content.decode()

    assert 'name="listen-core_problem"' in refund_page
    assert 'name="listen-tracking_status"' not in refund_page
    assert 'name="listen-evidence"' not in refund_page
    assert 'name="listen-tracking_status"' in lost_page


def test_propose_offers_only_the_remedies_of_the_kind_by_their_labels(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")

    page = browser(agent).get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    select = page.split('name="propose-remedy"')[1].split("</select>")[0]

    assert 'value="full_refund"' in select and 'value="partial_refund"' in select
    for other in ("reship", "exchange", "coupon", "apology_only", "return_and_refund"):
        assert f'value="{other}"' not in select
    assert "全额退款" in select and "部分退款" in select


def test_a_remedy_the_kind_does_not_allow_is_refused_by_label(api, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")

    response = api(agent).post(f"/api/v1/cases/{case.pk}/transitions/propose/",
                               {"remedy": "reship"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 400
    reason = str(response.json())
    assert "全额退款" in reason and "full_refund" not in reason


# --- phrase warnings kept ------------------------------------------------------------------------

def test_an_acknowledgement_with_phrases_to_avoid_keeps_the_hits_and_shows_them(
        shop, agent, phrase_rules):
    case = open_case(shop, by=agent)
    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/transitions/acknowledge/", {
        "acknowledge-message": "Sorry, I can't refund right away… 我不能马上退款"})

    page = follow(client, response)
    event = case.timeline.get(type="acknowledge")
    assert [hit["phrase"] for hit in event.data["phrase_hits"]] == ["I can't", "我不能"]
    assert Case.objects.get(pk=case.pk).state == State.ACKNOWLEDGED  # a warning, not a refusal
    # the flash, the words on the conversation, and the step on the timeline
    assert page.count("say instead “看看我们能够帮你做什么”") == 3
    assert 'class="hit-note"' in page


def test_a_revision_requests_phrase_hit_is_shown_on_the_page(shop, agent):
    PhraseRule.objects.update_or_create(shop=None, phrase="但是", defaults={"suggestion": "同时"})
    case = walk(open_review_case(shop, by=agent), agent, "calm", "listen", "remedy")

    step(case, "request_revision", agent, message="新杯子已寄出，但是方便的话能否更新评价？")

    page = browser(agent).get(f"/cases/{case.pk}/").content.decode()
    assert "“但是”: say instead “同时”." in page


# --- refusals that help ---------------------------------------------------------------------------

def test_a_quiet_hours_refusal_says_so_keeps_the_text_and_offers_a_reminder(shop, agent):
    with_quiet_hours(shop, "Asia/Shanghai")
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    client = browser(agent)

    with at(SHANGHAI, 2026, 6, 15, 23, 15):
        response = client.post(f"/cases/{case.pk}/contacts/", {
            "contact-channel": "chat", "contact-direction": "outbound",
            "contact-body": "您好，退款已经安排，请留意。"})
        page = follow(client, response)

        assert "quiet hours" in page
        assert "This case changed" not in page
        assert "您好，退款已经安排，请留意。" in page  # what was typed, back in the box
        assert "Remind me at 08:00" in page
        assert not Contact.objects.exists()

        reminded = client.post(f"/cases/{case.pk}/remind-me/")

    assert reminded.status_code == 302
    reminder = Reminder.objects.get(case=case, kind=ReminderKind.RETRY_CONTACT)
    assert reminder.due_at.astimezone(SHANGHAI).time() == time(8, 0)
    assert reminder.data["asked_by"] == "agent1"


# --- Post/Redirect/Get ----------------------------------------------------------------------------

def test_a_failed_form_post_redirects_and_the_next_page_shows_the_errors_with_what_was_typed(
        shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")
    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/transitions/propose/",
                           {"propose-remedy": "partial_refund", "propose-amount": "9999"})

    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "never exceed what was paid" in page
    assert 'value="9999"' in page
    assert '<option value="partial_refund" selected>' in page
    # shown once: a refresh shows the page as it is
    assert "never exceed what was paid" not in client.get(f"/cases/{case.pk}/").content.decode()


def test_the_buyers_details_typed_in_a_failed_form_are_never_kept(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/buyer-details/", {"buyer-phone": "abc 13912345678"})

    assert response.status_code == 302
    assert "abc 13912345678" not in str(dict(client.session))
    assert "Digits only" in client.get(response["Location"]).content.decode()


# --- the claim race and teammates -------------------------------------------------------------------

def test_a_lost_claim_race_lands_on_the_queue_saying_who_took_it(shop, agent, teammate):
    case = open_case(shop, by=None)
    browser(teammate).post(f"/cases/{case.pk}/claim/")
    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/claim/")

    assert response.status_code == 302 and response["Location"] == "/"
    assert "agent2 took this case a moment ago" in client.get("/").content.decode()
    assert Case.objects.get(pk=case.pk).assignee == teammate


def test_a_lost_claim_race_is_told_in_chinese(shop, agent, teammate):
    case = open_case(shop, by=None)
    browser(teammate).post(f"/cases/{case.pk}/claim/")
    client = browser(agent)

    client.post(f"/cases/{case.pk}/claim/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert "agent2 刚刚接手了这个案件" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_a_teammate_reads_the_case_masked_and_has_no_actions(shop, agent, teammate):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    page = browser(teammate).get(f"/cases/{case.pk}/").content.decode()

    assert "Assigned to agent1 — you can read it." in page
    assert "/transitions/" not in page
    assert f'action="/cases/{case.pk}/contacts/"' not in page
    assert f'action="/cases/{case.pk}/reveal/"' not in page
    assert "138****8000" in page and "13800138000" not in page


# --- what it costs --------------------------------------------------------------------------------

def page_queries(client: Client, case: Case, django_assert_num_queries, n: int) -> None:
    with django_assert_num_queries(n):
        assert client.get(f"/cases/{case.pk}/").status_code == 200


# 13 with the similar cases panel's look for the case's vector (a case with one: one query more,
# tests/pages/test_similar_cases_panel.py); an open case has no satisfaction survey, read with no
# query (its timeline says so).
CASE_PAGE_QUERIES = 12


def test_the_case_page_costs_the_same_queries_for_a_short_or_a_long_story(
        shop, agent, django_assert_num_queries):
    short = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")
    long = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")
    for n in range(15):
        log(long, agent, channel="chat", direction="inbound", outcome="", body=f"第{n}条消息")
    client = browser(agent)
    client.get(f"/cases/{short.pk}/")  # the session and the user's roles warmed once

    page_queries(client, short, django_assert_num_queries, CASE_PAGE_QUERIES)
    page_queries(client, long, django_assert_num_queries, CASE_PAGE_QUERIES)


# A closed case: no similar cases panel and no next step's forms to read, its satisfaction survey
# in one query (cases/pages/survey_panel.py, through the API's own read: cases.surveys.latest_survey;
# none for a case that never had one).
CLOSED_CASE_PAGE_QUERIES = 11


def test_a_closed_case_page_reads_its_survey_in_one_query_answered_or_not(
        shop, agent, django_assert_num_queries):
    def closed() -> Case:
        case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
        reach_buyer(case, agent)
        return step(case, "close", agent)

    not_sent, answered = closed(), closed()
    answer_survey(token=token_for(Survey.objects.get(case=answered)),
                  data={"rating": 5, "comment": "很好"})
    withdrawn = walk(open_case(shop, by=agent), agent, "acknowledge", "withdraw")
    client = browser(agent)
    client.get(f"/cases/{not_sent.pk}/")  # the session and the user's roles warmed once

    page_queries(client, not_sent, django_assert_num_queries, CLOSED_CASE_PAGE_QUERIES)
    page_queries(client, answered, django_assert_num_queries, CLOSED_CASE_PAGE_QUERIES)
    page_queries(client, withdrawn, django_assert_num_queries, CLOSED_CASE_PAGE_QUERIES - 1)
