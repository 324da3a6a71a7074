"""The satisfaction survey: one per case closed as resolved, sent once through the shop's
connector as outreach, held by the contact policy at its edges, answered once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases import services
from cases.models import Contact, Customer, OutgoingWebhook, Survey, TimelineEvent
from cases.services.surveys import send_scheduled_surveys
from cases.surveys import token_for
from notifications.models import Reminder, ReminderKind
from tests.cases.contact_rules import SHANGHAI, at, with_quiet_hours
from tests.factories import TO_RESOLVED, open_case, reach_buyer, step, walk

HOOK = "https://shop.example/connector"


@pytest.fixture
def shop(shop):
    shop.outgoing_webhook_url = HOOK
    shop.outgoing_webhook_secret = "s3cret"
    shop.save()
    return shop


def resolved(shop, agent, **payload):
    case = walk(open_case(shop, by=agent, **payload), agent, *TO_RESOLVED)
    reach_buyer(case, agent)
    return case


def close(case, agent):
    return step(case, "close", agent)


def survey_messages(case):
    return [w for w in OutgoingWebhook.objects.filter(case=case, type="message.sent")
            if "/s/" in w.payload["data"]["message"]["body"]]


def test_closing_as_resolved_sends_one_survey_through_the_connector(shop, agent):
    case = close(resolved(shop, agent), agent)

    survey = Survey.objects.get(case=case)
    assert survey.state == "sent"
    [message] = survey_messages(case)
    assert token_for(survey) in message.payload["data"]["message"]["body"]
    assert Contact.objects.get(pk=survey.contact_id).outreach is True
    assert TimelineEvent.objects.filter(case=case, type="survey_prepared").count() == 1


def test_a_withdrawn_case_gets_no_survey(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "withdraw")

    assert not Survey.objects.filter(case=case).exists()


def test_a_shop_without_connector_gets_the_link_for_its_staff(shop, agent, api):
    shop.outgoing_webhook_url = ""
    shop.save()

    case = close(resolved(shop, agent), agent)

    survey = Survey.objects.get(case=case)
    assert (survey.state, survey.reason) == ("not_sent", "no_connector")
    body = api(agent).get(f"/api/v1/cases/{case.pk}/").json()["survey"]
    assert body["state"] == "not_sent"
    assert body["url"].endswith(f"/s/{token_for(survey)}/")
    assert "paste the survey link" in body["reason"]


def test_a_buyer_who_asked_not_to_be_contacted_gets_none_and_the_case_says_why(shop, agent):
    case = resolved(shop, agent)
    Customer.objects.filter(pk=case.customer_id).update(do_not_contact=True)

    case = close(case, agent)

    survey = Survey.objects.get(case=case)
    assert (survey.state, survey.reason) == ("not_sent", "do_not_contact")
    assert not survey_messages(case)
    event = TimelineEvent.objects.get(case=case, type="survey_prepared")
    assert event.data["reason"] == "do_not_contact"


@pytest.mark.parametrize(("earlier_calls", "state"), [(1, "sent"), (2, "not_sent")])
def test_the_contact_limit_holds_at_its_edge(shop, agent, earlier_calls, state):
    # The limit is 3 outreach attempts in 7 days; reaching the buyer after the resolution is one.
    case = resolved(shop, agent)
    for _ in range(earlier_calls):
        services.log_contact(case_id=case.pk, by=agent, data={
            "channel": "call", "direction": "outbound", "outcome": "no_answer"})

    case = close(case, agent)

    survey = Survey.objects.get(case=case)
    assert survey.state == state
    assert survey.reason == ("" if state == "sent" else "contact_limit")


@pytest.mark.parametrize(("clock", "state"), [((21, 59), "sent"), ((22, 0), "scheduled"),
                                              ((7, 59), "scheduled"), ((8, 0), "sent")])
def test_quiet_hours_hold_the_survey_at_their_edges(shop, agent, clock, state):
    with_quiet_hours(shop)
    with at(SHANGHAI, 2026, 6, 15, 12, 0):
        case = resolved(shop, agent)

    with at(SHANGHAI, 2026, 6, 16, *clock):
        close(case, agent)

    survey = Survey.objects.get(case=case)
    assert survey.state == state
    assert bool(survey_messages(case)) == (state == "sent")


def test_a_held_survey_goes_out_when_the_quiet_hours_end_exactly_once(shop, agent):
    with_quiet_hours(shop)
    with at(SHANGHAI, 2026, 6, 15, 12, 0):
        case = resolved(shop, agent)
    with at(SHANGHAI, 2026, 6, 15, 23, 0):
        close(case, agent)

    with at(SHANGHAI, 2026, 6, 16, 7, 59):
        assert send_scheduled_surveys() == 0
    with at(SHANGHAI, 2026, 6, 16, 8, 0):
        assert send_scheduled_surveys() == 1
        assert send_scheduled_surveys() == 0

    assert Survey.objects.get(case=case).state == "sent"
    assert len(survey_messages(case)) == 1


def test_a_held_survey_is_not_sent_if_the_buyer_opted_out_meanwhile(shop, agent):
    with_quiet_hours(shop)
    with at(SHANGHAI, 2026, 6, 15, 12, 0):
        case = resolved(shop, agent)
    with at(SHANGHAI, 2026, 6, 15, 23, 0):
        close(case, agent)
    Customer.objects.filter(pk=case.customer_id).update(do_not_contact=True)

    with at(SHANGHAI, 2026, 6, 16, 9, 0):
        send_scheduled_surveys()

    survey = Survey.objects.get(case=case)
    assert (survey.state, survey.reason) == ("not_sent", "do_not_contact")
    assert not survey_messages(case)


def reopen_and_resolve_again(case, agent):
    case = walk(step(case, "reopen", agent), agent, "calm", "listen", "propose", "accept")
    reach_buyer(case, agent)
    return close(case, agent)


def test_a_reopened_case_resolved_again_is_not_asked_twice_within_the_interval(shop, agent):
    case = close(resolved(shop, agent), agent)

    reopen_and_resolve_again(case, agent)

    assert Survey.objects.filter(case=case).count() == 1
    assert TimelineEvent.objects.filter(case=case, type="survey_prepared",
                                        data__reason="asked_recently").exists()


def test_a_reopened_case_is_asked_again_after_the_shops_interval(shop, agent):
    shop.survey_again_after_days = 10
    shop.reopen_window_days = 30
    shop.save()
    start = timezone.now()
    case = close(resolved(shop, agent), agent)

    with time_machine.travel(start + timedelta(days=11), tick=False):
        reopen_and_resolve_again(case, agent)

    assert Survey.objects.filter(case=case).count() == 2


# --- answering ----------------------------------------------------------------------------------------


@pytest.fixture
def sent(shop, agent):
    case = close(resolved(shop, agent), agent)
    return Survey.objects.get(case=case)


def test_the_buyer_answers_once_then_409(api, sent):
    url = f"/s/{token_for(sent)}/"

    first = api(None).post(url, {"rating": 4, "comment": "很快，谢谢"}, format="json")
    second = api(None).post(url, {"rating": 1}, format="json")

    assert first.status_code == 200
    assert first.json()["page"] == "thanks"
    assert second.status_code == 409
    sent.refresh_from_db()
    assert (sent.state, sent.rating, sent.comment) == ("answered", 4, "很快，谢谢")
    event = TimelineEvent.objects.get(case=sent.case, type="survey_answered")
    assert event.data["rating"] == 4


def test_an_unknown_or_forged_link_is_404(api, sent):
    assert api(None).post("/s/nonsense/", {"rating": 5}, format="json").status_code == 404
    forged = token_for(sent)[:-2] + "xx"
    assert api(None).get(f"/s/{forged}/", HTTP_ACCEPT="application/json").status_code == 404


def test_an_expired_link_is_410_and_changes_nothing(api, sent):
    with time_machine.travel(sent.expires_at + timedelta(seconds=1), tick=False):
        response = api(None).post(f"/s/{token_for(sent)}/", {"rating": 5}, format="json")

    assert response.status_code == 410
    sent.refresh_from_db()
    assert sent.state == "sent"


@pytest.mark.parametrize("rating", [0, 6, "five", None, ""])
def test_a_rating_outside_1_to_5_is_400_with_the_reason(api, sent, rating):
    response = api(None).post(f"/s/{token_for(sent)}/", {"rating": rating}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["rating"] == ["Choose from 1 to 5."]
    sent.refresh_from_db()
    assert sent.state == "sent"


def test_one_or_two_stars_tell_the_agent_and_the_supervisors(api, sent, supervisor):
    api(None).post(f"/s/{token_for(sent)}/", {"rating": 2, "comment": "太慢了"}, format="json")

    told = Reminder.objects.get(case=sent.case, kind=ReminderKind.SURVEY_LOW)
    assert told.audience == "assignee_supervisors"
    assert told.data == {"rating": 2, "comment": "太慢了"}


def test_three_stars_tell_nobody(api, sent):
    api(None).post(f"/s/{token_for(sent)}/", {"rating": 3}, format="json")

    assert not Reminder.objects.filter(kind=ReminderKind.SURVEY_LOW).exists()


def test_the_case_detail_shows_the_answer(api, agent, sent):
    api(None).post(f"/s/{token_for(sent)}/", {"rating": 5, "comment": "好"}, format="json")

    body = api(agent).get(f"/api/v1/cases/{sent.case_id}/").json()["survey"]

    assert body["state"] == "answered"
    assert (body["rating"], body["comment"]) == (5, "好")
    assert body["answered_at"] is not None


def test_a_case_without_survey_says_not_sent(api, shop, agent):
    case = open_case(shop, by=agent)

    body = api(agent).get(f"/api/v1/cases/{case.pk}/").json()["survey"]

    assert body == {"state": "not_sent", "reason": "", "url": None, "rating": None,
                    "comment": "", "answered_at": None}


def test_the_public_endpoints_are_in_the_openapi_schema(api, agent):
    schema = api(agent).get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert set(schema["paths"]["/s/{token}/"]) >= {"get", "post"}
