"""The agent scorecard against values computed by hand, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db import connection

from cases.reports.scorecard import agent_scorecard
from config.service_errors import InvalidInput
from tests.factories import ShopFactory, UserFactory
from tests.reports.conftest import RANGE, SHANGHAI, case, survey


def rows(by=None, **params):
    query = {k: v for k, v in {**RANGE, "shop": "demo", **params}.items() if v is not None}
    card = agent_scorecard(by=by, params=query)
    return {r["agent"]: r for r in card.results}, card.team


def test_each_agents_figures_are_the_hand_computed_ones(scene):
    found, _team = rows()

    assert found["agent1"] == {
        "agent": "agent1",
        "cases_handled": 5,
        "cases_resolved": 3,
        "first_response_median_hours": 3.0,  # 1, 3, 5
        "resolution_median_hours": 4.0,  # 2, 4, 10
        "resolution_p90_hours": 8.8,  # at rank 1 + 0.9·2 = 2.8: 4 + 0.8·6
        "deadlines_met_share": 0.6,  # answers 2 of 3, resolutions 1 of 2
        "refund_rate": 0.2469,  # (128 + 30) of 5 × 128 paid
        "average_refund": "79.00",
        "revisions_asked": 2,
        "revision_rate": 0.5,
        "reopen_rate": 0.2,
        "messages_sent": 4,
        "phrase_hits_per_100_messages": 75.0,
        "quick_replies_per_100_messages": 25.0,
        "satisfaction_average": 4.5,  # 5 and 4 stars
        "surveys_answered": 2,
        "survey_response_rate": 0.6667,  # 2 of the 3 surveys sent
    }


def test_a_case_resolved_in_the_range_counts_as_resolved_not_as_handled(scene):
    found, _team = rows()

    agent2 = found["agent2"]
    assert (agent2["cases_handled"], agent2["cases_resolved"]) == (1, 2)
    assert (agent2["resolution_median_hours"], agent2["resolution_p90_hours"]) == (123.5, 217.5)
    assert (agent2["first_response_median_hours"], agent2["deadlines_met_share"]) == (1.0, 1.0)
    assert (agent2["refund_rate"], agent2["average_refund"]) == (0.0, None)
    assert (agent2["revisions_asked"], agent2["revision_rate"], agent2["reopen_rate"]) == (0, None, 0.0)
    assert (agent2["phrase_hits_per_100_messages"], agent2["quick_replies_per_100_messages"]) == (
        0.0, 0.0)
    assert (agent2["satisfaction_average"], agent2["surveys_answered"],
            agent2["survey_response_rate"]) == (2.0, 1, 1.0)


def test_the_team_value_is_over_all_the_agents_cases_not_a_mean_of_agents(scene):
    _found, team = rows()

    assert team["cases_handled"] == 6 and team["cases_resolved"] == 5
    assert team["resolution_median_hours"] == 6.0  # 2, 4, 6, 10, 241
    assert team["resolution_p90_hours"] == 148.6  # rank 4.6: 10 + 0.6·231
    assert team["first_response_median_hours"] == 2.0  # 1, 1, 3, 5
    assert team["deadlines_met_share"] == 0.7143  # 5 of 7
    assert team["refund_rate"] == 0.2057  # 158 of 768
    assert team["average_refund"] == "79.00"
    assert (team["revision_rate"], team["reopen_rate"]) == (0.5, 0.1667)
    assert (team["messages_sent"], team["phrase_hits_per_100_messages"],
            team["quick_replies_per_100_messages"]) == (5, 60.0, 20.0)
    # 5, 4 and 2 stars: the mean of the three answers, not of the agents' means (3.25)
    assert (team["satisfaction_average"], team["surveys_answered"],
            team["survey_response_rate"]) == (3.67, 3, 0.75)


def test_every_agent_of_the_shop_has_a_row_even_with_nothing_to_count(scene):
    UserFactory(username="agent3", role="agent", shops=[scene])

    found, _team = rows()

    assert sorted(found) == ["agent1", "agent2", "agent3"]
    assert found["agent3"]["cases_handled"] == 0
    assert found["agent3"]["resolution_median_hours"] is None
    assert (found["agent3"]["satisfaction_average"], found["agent3"]["surveys_answered"],
            found["agent3"]["survey_response_rate"]) == (None, 0, None)


def test_without_a_range_everything_counts(scene):
    found, _team = rows(since=None, until=None)

    assert found["agent1"]["cases_handled"] == 6
    assert found["agent1"]["messages_sent"] == 5
    assert (found["agent1"]["satisfaction_average"], found["agent1"]["surveys_answered"]) == (
        3.33, 3)  # the survey sent twenty days before counts too: 5, 4 and 1 stars


def test_rows_sort_by_any_figure_either_way_without_figure_last(scene):
    UserFactory(username="agent3", role="agent", shops=[scene])
    ordered = lambda sort: [r["agent"] for r in agent_scorecard(  # noqa: E731
        by=None, params={**RANGE, "shop": "demo", "sort": sort}).results]

    assert ordered("-cases_handled") == ["agent1", "agent2", "agent3"]
    assert ordered("resolution_median_hours") == ["agent1", "agent2", "agent3"]
    assert ordered("-resolution_median_hours") == ["agent2", "agent1", "agent3"]
    assert ordered("agent") == ["agent1", "agent2", "agent3"]
    assert ordered("-satisfaction_average") == ["agent1", "agent2", "agent3"]
    assert ordered("satisfaction_average") == ["agent2", "agent1", "agent3"]


def test_an_agent_gets_only_their_own_row_and_the_team(scene, agent):
    found, team = rows(by=agent)

    assert list(found) == ["agent1"]
    assert team["cases_handled"] == 6


def test_a_supervisor_sees_every_agent_of_their_shops(scene, supervisor):
    found, _team = rows(by=supervisor)

    assert sorted(found) == ["agent1", "agent2"]


@pytest.mark.parametrize("params, field", [
    ({"since": "2026-11-09", "until": "2026-11-02"}, "until"),
    ({"since": "2026-11-02", "until": "2026-11-02"}, "until"),
    ({"since": "2 Nov"}, "since"),
    ({"shop": "elsewhere"}, "shop"),
    ({"shop": "nowhere"}, "shop"),
    ({"sort": "password"}, "sort"),
])
def test_bad_queries_are_refused_with_the_reason(scene, supervisor, params, field):
    with pytest.raises(InvalidInput) as refused:
        agent_scorecard(by=supervisor, params=params)

    assert field in refused.value.errors


def test_the_queries_are_a_fixed_few_however_many_agents(scene, django_assert_num_queries):
    for n in range(5):
        helper = UserFactory(username=f"extra{n}", role="agent", shops=[scene])
        case(scene, helper, answered=2, resolved=5)

    # the shop, its agents, the cases (PostgreSQL: one pass; SQLite: the counts, then each
    # duration by agent and for the team), messages, quick replies, the buyers' surveys
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 10):
        card = agent_scorecard(by=None, params={**RANGE, "shop": "demo"})

    assert len(card.results) == 7


def test_the_range_is_read_in_the_shops_time_zone(db):
    shop = ShopFactory(code="demo", time_zone="Asia/Shanghai")
    agent = UserFactory(username="a", role="agent", shops=[shop])
    # opened 23:30 on 8 Nov in Shanghai: inside; 00:30 on 9 Nov: outside
    case(shop, agent, opened=datetime(2026, 11, 8, 23, 30, tzinfo=SHANGHAI))
    case(shop, agent, opened=datetime(2026, 11, 9, 0, 30, tzinfo=SHANGHAI))

    card = agent_scorecard(by=None, params={"since": date(2026, 11, 2), "until": date(2026, 11, 9)})

    assert card.results[0]["cases_handled"] == 1


def test_a_survey_counts_by_the_day_it_was_sent_in_the_shops_time_zone(db):
    shop = ShopFactory(code="demo", time_zone="Asia/Shanghai")
    agent = UserFactory(username="a", role="agent", shops=[shop])
    # sent 23:30 on 8 Nov in Shanghai: inside; 00:30 on 9 Nov: outside
    survey(case(shop, agent), rating=5, sent=datetime(2026, 11, 8, 23, 30, tzinfo=SHANGHAI))
    survey(case(shop, agent), rating=1, sent=datetime(2026, 11, 9, 0, 30, tzinfo=SHANGHAI))

    card = agent_scorecard(by=None, params={"since": date(2026, 11, 2), "until": date(2026, 11, 9)})

    assert (card.results[0]["satisfaction_average"], card.results[0]["surveys_answered"]) == (5.0, 1)
