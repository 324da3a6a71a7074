"""/reports/export.xlsx: one sheet per table, headers in the reader's language, numbers as numbers."""

from __future__ import annotations

import io

from django.test import Client
from openpyxl import load_workbook

from tests.reports.conftest import RANGE

URL = "/reports/export.xlsx"


def workbook(user, language="en", **params):
    client = Client()
    client.force_login(user)
    response = client.get(URL, {**RANGE, "shop": "demo", **params}, HTTP_ACCEPT_LANGUAGE=language)
    return response


def test_every_table_is_a_sheet(scene, supervisor):
    response = workbook(supervisor)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Time to resolve", "Time to the first reply", "Time to close", "Deadlines met",
        "Open cases by age", "Outcomes", "Negative reviews", "Time spent in each state",
        "Refund approvals", "Satisfaction",
        "Agent scorecard", "Review causes"]


def test_durations_are_hours_with_the_unit_in_the_header_and_shares_are_percentages(
        scene, supervisor):
    book = load_workbook(io.BytesIO(workbook(supervisor).content))

    resolution = book["Time to resolve"]
    assert [c.value for c in resolution[1]][:4] == ["Kind", "Cases", "Median (hours)",
                                                    "9 in 10 within (hours)"]
    assert resolution["A2"].value in ("Refund", "Negative review")
    card = book["Agent scorecard"]
    headers = [c.value for c in card[1]]
    assert headers[:3] == ["Agent", "Cases handled", "Cases resolved"]
    assert "Resolution, median (hours)" in headers
    team, agent1 = [c.value for c in card[2]], [c.value for c in card[3]]
    assert team[0] == "Team" and agent1[0] == "agent1"
    median = headers.index("Resolution, median (hours)")
    assert (team[median], agent1[median]) == (6.0, 4.0)
    share = headers.index("Deadlines met")
    assert agent1[share] == 0.6 and card.cell(3, share + 1).number_format == "0%"
    refund = headers.index("Average refund")
    assert agent1[refund] == 79.0 and "¥" in card.cell(3, refund + 1).number_format
    rating = headers.index("Buyers' rating")
    assert (team[rating], agent1[rating]) == (3.67, 4.5)
    assert card.cell(3, rating + 1).number_format == '0.0" / 5"'
    answered = headers.index("Surveys answered")
    assert agent1[answered] == 2 and agent1[headers.index("Survey response rate")] == 0.6667


def test_in_chinese_the_headers_are_chinese(scene, supervisor):
    book = load_workbook(io.BytesIO(workbook(supervisor, "zh-hans").content))

    assert "客服绩效表" in book.sheetnames
    assert "解决用时（中位数）（小时）" in [c.value for c in book["客服绩效表"][1]]


def test_a_bad_filter_is_400_with_the_reason(scene, supervisor):
    response = workbook(supervisor, since="2026-11-09", until="2026-11-01")

    assert response.status_code == 400
    assert "Must be after since." in response.content.decode()


def test_agents_may_not_export_the_whole_report(scene, agent):
    assert workbook(agent).status_code == 403
