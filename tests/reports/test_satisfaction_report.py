"""The buyers' satisfaction per agent, kind and week, with the response rate; and the figures the
agent scorecard reads."""

from __future__ import annotations

import pytest

from cases.models import Case, Survey
from cases.reports.satisfaction import agent_satisfaction, satisfaction, satisfaction_breakdown
from cases.services.surveys import answer_survey
from cases.surveys import token_for
from tests.factories import TO_RESOLVED, open_case, reach_buyer, step, walk


@pytest.fixture
def shop(shop):
    shop.outgoing_webhook_url = "https://shop.example/connector"
    shop.save()
    return shop


def surveyed(shop, agent, rating=None):
    case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
    reach_buyer(case, agent)
    step(case, "close", agent)
    survey = Survey.objects.get(case=case)
    if rating is not None:
        answer_survey(token=token_for(survey), data={"rating": rating})
    return survey


def test_satisfaction_per_agent_counts_the_response_rate_and_the_mean(shop, agent, teammate):
    surveyed(shop, agent, 5)
    surveyed(shop, agent, 2)
    surveyed(shop, agent)
    surveyed(shop, teammate, 4)

    rows = satisfaction(Case.objects.all(), "agent")

    assert rows == [
        {"group": "agent1", "sent": 3, "answered": 2, "response_rate": 0.667,
         "mean_rating": 3.5, "satisfied_share": 0.5, "low": 1},
        {"group": "agent2", "sent": 1, "answered": 1, "response_rate": 1.0,
         "mean_rating": 4.0, "satisfied_share": 1.0, "low": 0},
    ]


def test_satisfaction_per_kind_and_week(shop, agent):
    surveyed(shop, agent, 4)

    assert satisfaction(Case.objects.all(), "kind")[0]["group"] == "refund"
    assert len(satisfaction(Case.objects.all(), "week")[0]["group"]) == 10  # 2026-11-30


def test_the_scorecard_reads_each_agents_parts_in_one_query(shop, agent, teammate,
                                                               django_assert_num_queries):
    surveyed(shop, agent, 5)
    surveyed(shop, teammate)

    with django_assert_num_queries(1):
        parts = agent_satisfaction(Case.objects.filter(shop=shop), shops=[shop])

    assert parts == {
        "agent1": {"surveys_sent": 1, "surveys_answered": 1, "rating_sum": 5},
        "agent2": {"surveys_sent": 1, "surveys_answered": 0, "rating_sum": 0},
    }


def test_the_api_answers_supervisors(api, shop, agent, supervisor):
    surveyed(shop, agent, 1)

    body = api(supervisor).get("/api/v1/reports/satisfaction/?group_by=kind").json()

    assert body["report"] == "satisfaction"
    assert body["results"][0]["low"] == 1
    assert api(agent).get("/api/v1/reports/satisfaction/").status_code == 403


def test_the_report_page_reads_agents_kinds_and_weeks_in_one_query_as_the_report_gives_each(
        shop, agent, teammate, django_assert_num_queries):
    surveyed(shop, agent, 5)
    surveyed(shop, agent, 2)
    surveyed(shop, agent)
    surveyed(shop, teammate, 4)
    cases = Case.objects.all()

    with django_assert_num_queries(1):
        found = satisfaction_breakdown(cases)

    assert found == {group: satisfaction(cases, group) for group in ("agent", "kind", "week")}


def test_a_pasted_link_the_buyer_answered_counts_as_reached_from_when_it_was_prepared(agent):
    # given a shop with no connector: the staff paste the survey's link into the marketplace chat
    from tests.factories import ShopFactory

    pasting = ShopFactory(code="paste", name="Pasting shop")
    agent.shops.add(pasting)
    survey = surveyed(pasting, agent)
    assert survey.sent_at is None

    # when the buyer answers through the link
    answer_survey(token=token_for(survey), data={"rating": 4})

    # then the reports count it, from the day it was prepared
    survey.refresh_from_db()
    assert survey.sent_at == survey.created_at
    assert satisfaction(Case.objects.filter(shop=pasting), "agent", since=survey.created_at.date()
                        ) == [{"group": "agent1", "sent": 1, "answered": 1, "response_rate": 1.0,
                               "mean_rating": 4.0, "satisfied_share": 1.0, "low": 0}]
