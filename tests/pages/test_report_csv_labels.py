"""The report page's CSVs for people: beside a kind, a state, a remedy or a cause, its name in the
reader's language; the key stays for machines."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import TO_RESOLVED, open_case, walk
from tests.reports.conftest import T0


@pytest.fixture
def cases(shop, agent):
    walk(open_case(shop, by=agent), agent, *TO_RESOLVED)  # a partial refund
    open_case(shop, by=agent)
    open_case(shop, by=agent, kind="negative_review", review={
        "platform_review_id": "R1", "rating": 1, "text": "物流太慢了", "posted_at": T0.isoformat()})


def table(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("language, header, new", [
    ("en", ["State (code)", "State", "Open"], "New"),
    ("zh-hans", ["状态（代码）", "状态", "未结"], "新建"),
])
def test_the_backlog_csv_names_each_state_beside_its_key(cases, reader, language, header, new):
    rows = table(reader.get("/reports/", {"csv": "backlog"}, HTTP_ACCEPT_LANGUAGE=language))

    assert rows[0][:3] == header
    assert ["new", new, "2"] == rows[1][:3]  # the refund and the negative review still new
    assert sum(int(row[2]) for row in rows[1:]) == 3  # and the resolved refund


@pytest.mark.parametrize("language, header, label", [
    ("en", ["Remedy (code)", "Remedy", "Cases", "Share"], "Partial refund"),
    ("zh-hans", ["解决方案（代码）", "解决方案", "案件", "占比"], "部分退款"),
])
def test_the_remedies_csv_names_each_remedy_beside_its_key(cases, reader, language, header,
                                                           label):
    rows = table(reader.get("/reports/", {"csv": "remedies"}, HTTP_ACCEPT_LANGUAGE=language))

    assert rows == [header, ["partial_refund", label, "1", "1.0"]]


@pytest.mark.parametrize("language, label", [("en", "Not found yet"), ("zh-hans", "尚未查明")])
def test_the_causes_csv_names_each_cause_beside_its_key(cases, reader, language, label):
    rows = table(reader.get("/reports/", {"csv": "causes"}, HTTP_ACCEPT_LANGUAGE=language))

    assert rows[1][:3] == ["unknown", label, "1"]


@pytest.mark.parametrize("language, refund, review, mix", [
    ("en", "Refund", "Negative review", "Partial refund 1"),
    ("zh-hans", "退款", "中差评", "部分退款 1"),
])
def test_a_tables_csv_by_kind_names_each_kind_and_remedy_beside_the_keys(
        cases, reader, language, refund, review, mix):
    rows = table(reader.get("/api/v1/reports/outcomes/", {"format": "csv", "group_by": "kind"},
                            HTTP_ACCEPT_LANGUAGE=language))

    header = rows[0]
    assert header[:3] == ["group", "group_label", "cases"]
    assert header.index("remedy_mix_label") == header.index("remedy_mix") + 1
    by_key = {row[0]: row for row in rows[1:]}
    assert by_key["refund"][1] == refund and by_key["negative_review"][1] == review
    assert by_key["refund"][header.index("remedy_mix_label")] == mix
    assert by_key["refund"][header.index("remedy_mix")] == '{"partial_refund": 1}'


@pytest.mark.parametrize("language, label", [("en", "New"), ("zh-hans", "新建")])
def test_a_csv_by_state_names_each_state_beside_its_key(cases, reader, language, label):
    rows = table(reader.get("/api/v1/reports/backlog/", {"format": "csv"},
                            HTTP_ACCEPT_LANGUAGE=language))

    assert rows[0][:2] == ["state", "state_label"]
    assert rows[1][:2] == ["new", label]


def test_agents_weeks_and_shops_are_data_and_get_no_label_column(cases, reader):
    for group_by in ("agent", "week", "shop"):
        rows = table(reader.get("/api/v1/reports/resolution-time/",
                                {"format": "csv", "group_by": group_by}))

        assert rows[0][:2] == ["group", "count"], group_by


def test_the_json_answer_keeps_its_keys_only(cases, reader):
    body = reader.get("/api/v1/reports/outcomes/", {"group_by": "kind"}).json()

    assert "group_label" not in body["results"][0] and "remedy_mix_label" not in body["results"][0]
