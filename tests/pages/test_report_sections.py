"""The report page's refund approvals and buyer satisfaction: a chart each, tables in words (who
answered, how long it took, stars of five, response rates), CSVs, both languages."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest

from tests.reports.conftest import case, survey
from tests.reports.test_approvals_report import MONDAY
from tests.reports.test_approvals_report import scene as approvals_scene

RANGE = {"since": "2026-10-26", "until": "2026-11-23", "shop": "demo"}


@pytest.fixture
def surveys(shop, agent, teammate):
    """agent1: 5 and 4 stars and one survey unanswered; agent2: 2 stars (a non-delivery)."""
    sent = MONDAY + timedelta(days=2)
    for rating in (5, 4, None):
        survey(case(shop, agent), rating=rating, sent=sent)
    survey(case(shop, teammate, kind="non_delivery"), rating=2, sent=sent)


def page(reader, language="en", **params) -> str:
    response = reader.get("/reports/", {**RANGE, **params}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, name: str) -> str:
    start = html.index(f'id="chart-{name}"')
    return html[start:html.index("</section>", start)]


def chart_data(html: str, name: str) -> dict:
    found = re.search(rf'<script id="chart-data-{name}" type="application/json">(.*?)</script>',
                      html, re.S)
    return json.loads(found.group(1))


def test_the_approvals_say_who_answered_and_how_long_it_took_in_words(shop, agent, supervisor,
                                                                      reader):
    approvals_scene(shop, agent, supervisor)

    html = section(page(reader), "approvals")

    assert "Refund approvals" in html
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]
    assert cells == [
        ["Nov 2", "supervisor1", "2", "2", "0", "0", "3 h 0 min"],
        ["Nov 2", "supervisor2", "1", "0", "1", "0", "—"],
        ["Nov 9", "nobody yet", "1", "0", "0", "1", "—"],
    ]
    assert '<td translate="no">supervisor1</td>' in html


def test_the_approvals_chart_stacks_the_answers_per_week_with_the_median_time(
        shop, agent, supervisor, reader):
    approvals_scene(shop, agent, supervisor)

    data = chart_data(page(reader), "approvals")

    assert data["categories"] == ["Oct 26", "Nov 2", "Nov 9", "Nov 16"]
    approved, declined, waiting, median = data["series"]
    assert (approved["name"], approved["values"], approved["stack"]) == (
        "Approved", [0, 2, 0, 0], "asked")
    assert (declined["values"], waiting["values"]) == ([0, 1, 0, 0], [0, 0, 1, 0])
    assert median["values"] == [None, 3.0, None, None] and median["texts"][1] == "3 h 0 min"
    assert data["axes"] == ["Hours", "Requests"]


def test_each_buyers_satisfaction_reads_as_stars_of_five_per_agent_kind_and_week(
        shop, surveys, reader):
    html = section(page(reader), "satisfaction")

    assert "Buyer satisfaction" in html and "Per agent" in html and "Per kind" in html
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", html)]
    assert ["Nov 2", "4", "3", "75 %", "3.7 / 5", "67 %", "1"] in rows  # the week
    assert ["agent1", "3", "2", "67 %", "4.5 / 5", "100 %", "0"] in rows
    assert ["agent2", "1", "1", "100 %", "2.0 / 5", "0 %", "1"] in rows
    assert ["Parcel not received", "1", "1", "100 %", "2.0 / 5", "0 %", "1"] in rows


def test_the_satisfaction_chart_draws_the_average_on_one_to_five_stars(shop, surveys, reader):
    data = chart_data(page(reader), "satisfaction")

    answered, unanswered, average = data["series"]
    assert data["ranges"] == [[1, 5], None]
    assert (answered["values"], unanswered["values"]) == ([0, 3, 0, 0], [0, 1, 0, 0])
    assert average["values"] == [None, 3.67, None, None] and average["texts"][1] == "3.7 / 5"


def test_in_chinese_both_sections_read_in_chinese(shop, agent, supervisor, surveys, reader):
    approvals_scene(shop, agent, supervisor)

    html = page(reader, "zh-hans")
    approvals, satisfaction = section(html, "approvals"), section(html, "satisfaction")

    assert "退款审批" in approvals and "3 小时 0 分钟" in approvals and "尚无人处理" in approvals
    assert "买家满意度" in satisfaction and "按客服" in satisfaction and "4.5 / 5" in satisfaction
    assert "11月2日" in satisfaction
    for english in ("Approved", "Still waiting", "nobody yet", "Buyer satisfaction", "Per agent",
                    "Answered", "Response rate", "Parcel not received"):
        assert english not in approvals + satisfaction, english
    assert chart_data(html, "satisfaction")["series"][2]["name"] == "平均评分"


def test_without_approvals_or_surveys_each_section_says_so(shop, reader):
    html = page(reader)

    assert "No refund needed approval in this period." in section(html, "approvals")
    assert "No survey was sent to a buyer in this range." in section(html, "satisfaction")
    assert 'id="chart-data-approvals"' not in html


def test_the_approvals_csv_has_the_weeks_supervisors_and_hours(shop, agent, supervisor, reader):
    approvals_scene(shop, agent, supervisor)

    response = reader.get("/reports/", {**RANGE, "csv": "approvals"}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["周起始日", "主管", "提交审批", "已批准", "已驳回", "仍在等待", "审批用时中位数"]
    assert rows[1] == ["2026-11-02", "supervisor1", "2", "2", "0", "0", "3.0"]
    assert rows[3][:2] == ["2026-11-09", ""]


def test_the_satisfaction_tables_link_to_their_csv_with_the_kinds_named(shop, surveys, reader):
    html = section(page(reader), "satisfaction")
    link = re.search(r'href="(/api/v1/reports/satisfaction/\?[^"]*group_by=kind[^"]*)"', html)

    response = reader.get(link.group(1).replace("&amp;", "&"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["group", "group_label", "sent"]
    assert rows[1][:3] == ["non_delivery", "未收到货", "1"]
