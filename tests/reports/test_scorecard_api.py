"""GET /api/v1/reports/agent-scorecard/: who gets which rows, the contract's fields, bad queries."""

from __future__ import annotations

import pytest

from tests.reports.conftest import RANGE

URL = "/api/v1/reports/agent-scorecard/"
CONTRACT = {"agent", "cases_resolved", "first_response_median_hours", "resolution_median_hours",
            "deadlines_met_share", "refund_rate", "revision_rate", "reopen_rate",
            "phrase_hits_per_100_messages"}


def test_a_supervisor_gets_every_agent_of_their_shops_with_the_contracts_fields(
        scene, supervisor, api):
    response = api(supervisor).get(URL, {**RANGE, "shop": "demo"})

    assert response.status_code == 200
    body = response.json()
    assert [r["agent"] for r in body["results"]] == ["agent1", "agent2"]
    assert all(set(row) >= CONTRACT for row in body["results"])
    assert set(body["team"]) >= CONTRACT
    assert body["results"][0]["resolution_median_hours"] == 4.0
    assert body["team"]["cases_handled"] == 6


def test_each_row_keeps_every_field_and_adds_the_buyers_satisfaction(scene, supervisor, api):
    body = api(supervisor).get(URL, {**RANGE, "shop": "demo"}).json()

    assert set(body["results"][0]) == {
        "agent", "cases_handled", "cases_resolved", "first_response_median_hours",
        "resolution_median_hours", "resolution_p90_hours", "deadlines_met_share", "refund_rate",
        "average_refund", "revisions_asked", "revision_rate", "reopen_rate", "messages_sent",
        "phrase_hits_per_100_messages", "quick_replies_per_100_messages",
        "satisfaction_average", "surveys_answered", "survey_response_rate"}
    agent1 = body["results"][0]
    assert (agent1["satisfaction_average"], agent1["surveys_answered"],
            agent1["survey_response_rate"]) == (4.5, 2, 0.6667)
    assert (body["team"]["satisfaction_average"], body["team"]["surveys_answered"]) == (3.67, 3)


def test_an_agent_gets_their_own_row_and_the_team(scene, agent, api):
    body = api(agent).get(URL, RANGE).json()

    assert [r["agent"] for r in body["results"]] == ["agent1"]
    assert body["team"]["cases_handled"] == 6


def test_an_admin_reads_every_shop(scene, admin, api):
    body = api(admin).get(URL, RANGE).json()

    assert {"agent1", "agent2", "outsider"} <= {r["agent"] for r in body["results"]}


def test_anonymous_is_refused(db, api):
    assert api(None).get(URL).status_code in (401, 403)


def test_someone_with_no_role_is_refused(db, api):
    from tests.factories import UserFactory

    assert api(UserFactory(username="nobody")).get(URL).status_code == 403


@pytest.mark.parametrize("params, field, reason", [
    ({"since": "2026-11-09", "until": "2026-11-02"}, "until", "Must be after since."),
    ({"since": "yesterday"}, "since", "Write the date as year-month-day, e.g. 2026-11-01."),
    ({"until": "2026-13-01"}, "until", "Write the date as year-month-day, e.g. 2026-11-01."),
    ({"shop": "nowhere"}, "shop", "None of your shops has the code nowhere."),
    ({"shop": "elsewhere"}, "shop", "None of your shops has the code elsewhere."),
])
def test_bad_queries_are_400_with_the_reason(scene, supervisor, api, params, field, reason):
    response = api(supervisor).get(URL, params)

    assert response.status_code == 400
    assert response.json()["errors"][field] == [reason]


def test_the_csv_has_the_team_first_then_each_agent(scene, supervisor, api):
    response = api(supervisor).get(URL, {**RANGE, "shop": "demo", "format": "csv"})

    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("agent,cases_handled,cases_resolved,")
    assert [line.split(",")[0] for line in lines[1:]] == ["(team)", "agent1", "agent2"]
    assert lines[0].endswith(",satisfaction_average,surveys_answered,survey_response_rate")


def test_a_bad_query_in_csv_is_still_json_with_the_reason(scene, supervisor, api):
    response = api(supervisor).get(URL, {"since": "x", "format": "csv"})

    assert response.status_code == 400
    assert "since" in response.json()["errors"]


def test_the_schema_names_the_scorecard_and_the_review_causes(db, admin, api):
    schema = api(admin).get("/api/schema/", {"format": "json"}).json()

    assert "/api/v1/reports/agent-scorecard/" in schema["paths"]
    assert "/api/v1/reports/review-causes/" in schema["paths"]
