"""Duration figures against values computed by hand, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases.models import Case, Shop
from cases.reports.durations import duration_rows, in_range
from tests.factories import open_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday


def resolved(shop, hours: float, *, kind: str = "refund", opened: datetime = T0,
             due_hours: float = 72, assignee=None) -> Case:
    case = open_case(shop, by=None, kind=kind)
    Case.objects.filter(pk=case.pk).update(
        opened_at=opened, resolved_at=opened + timedelta(hours=hours),
        resolution_due_at=opened + timedelta(hours=due_hours), assignee=assignee)
    return case


def rows(metric="resolution-time", group_by="kind", since=None, until=None, **filters):
    cases = Case.objects.filter(**filters)
    cases = in_range(cases, "resolved_at", since, until, list(Shop.objects.all()))
    return {r.group: r for r in duration_rows(cases, metric, group_by)}


def test_count_median_p90_mean_and_deadline_share_are_exact(db, shop):
    for hours in (1, 2, 3, 10):
        resolved(shop, hours, due_hours=2.5)

    row = rows()["refund"]

    # sorted 1, 2, 3, 10: median at position 2.5 → 2.5; p90 at 1 + 0.9·3 = 3.7 → 3 + 0.7·7 = 7.9
    assert (row.count, row.median_hours, row.p90_hours, row.mean_hours) == (4, 2.5, 7.9, 4.0)
    assert row.met_deadline_share == 0.5


def test_one_case_is_its_own_median_and_p90(db, shop):
    resolved(shop, 5)

    row = rows()["refund"]

    assert (row.count, row.median_hours, row.p90_hours, row.mean_hours) == (1, 5.0, 5.0, 5.0)


def test_no_cases_no_rows(db, shop):
    open_case(shop, by=None)  # still open: not resolved

    assert rows() == {}


def test_groups_by_kind_each_with_its_own_figures(db, shop):
    resolved(shop, 1)
    resolved(shop, 3)
    resolved(shop, 10, kind="non_delivery")

    found = rows()

    assert (found["refund"].count, found["refund"].median_hours) == (2, 2.0)
    assert (found["non_delivery"].count, found["non_delivery"].median_hours) == (1, 10.0)


def test_the_range_counts_by_the_day_the_case_was_resolved_in_the_shops_time_zone(db, shop):
    shop.time_zone = "Asia/Shanghai"
    shop.save()
    # resolved at 23:30 on 2 Nov in Shanghai (15:30 UTC): inside [2 Nov, 3 Nov)
    resolved(shop, 14.5)
    # resolved at 00:30 on 3 Nov in Shanghai (still 2 Nov in UTC): outside
    resolved(shop, 15.5)

    found = rows(since=date(2026, 11, 2), until=date(2026, 11, 3))

    assert found["refund"].count == 1
    assert found["refund"].median_hours == 14.5


def test_groups_by_agent_and_by_week(db, shop, agent, teammate):
    resolved(shop, 2, assignee=agent)
    resolved(shop, 4, assignee=teammate, opened=T0 + timedelta(days=7))

    by_agent = rows(group_by="agent")
    by_week = rows(group_by="week")

    assert set(by_agent) == {"agent1", "agent2"}
    assert set(by_week) == {"2026-11-02", "2026-11-09"}


@pytest.mark.parametrize("metric", ["closing-time", "first-response-time"])
def test_the_other_durations_use_their_own_end(db, shop, metric):
    case = open_case(shop, by=None)
    Case.objects.filter(pk=case.pk).update(
        opened_at=T0, first_responded_at=T0 + timedelta(hours=3),
        first_response_due_at=T0 + timedelta(hours=24), closed_at=T0 + timedelta(hours=30))

    row = rows(metric=metric)["refund"]

    expected = {"closing-time": (30.0, None), "first-response-time": (3.0, 1.0)}[metric]
    assert (row.median_hours, row.met_deadline_share) == expected


# --- the API and the command ------------------------------------------------------------------

REPORT = "/api/v1/reports/resolution-time/"


def test_supervisors_get_the_figures_per_kind_as_json(db, shop, supervisor, api):
    for hours in (1, 2, 3, 10):
        resolved(shop, hours, due_hours=2.5)

    body = api(supervisor).get(REPORT, {"group_by": "kind"}).json()

    assert body["results"] == [{"group": "refund", "count": 4, "median_hours": 2.5,
                                "p90_hours": 7.9, "mean_hours": 4.0, "met_deadline_share": 0.5}]
    assert "percentile_cont" in body["definition"]


def test_the_figures_come_as_csv_too(db, shop, supervisor, api):
    resolved(shop, 5)

    response = api(supervisor).get(REPORT, {"format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [  # a kind's name beside its key
        "group,group_label,count,median_hours,p90_hours,mean_hours,met_deadline_share",
        "refund,Refund,1,5.0,5.0,5.0,1.0"]


def test_agents_may_not_read_reports(db, agent, api):
    assert api(agent).get(REPORT).status_code == 403


def test_a_supervisor_counts_only_their_own_shops(db, shop, other_shop, supervisor, api):
    resolved(shop, 5)
    resolved(other_shop, 50)

    body = api(supervisor).get(REPORT).json()

    assert body["results"][0]["count"] == 1


@pytest.mark.parametrize(("params", "field"), [
    ({"group_by": "colour"}, "group_by"),
    ({"since": "yesterday"}, "since"),
    ({"since": "2026-11-05", "until": "2026-11-01"}, "until"),
    ({"shop": "nowhere"}, "shop"),
    ({"kind": "review"}, "kind"),
    ({"agent": "nobody"}, "agent"),
])
def test_a_bad_report_query_is_answered_400_naming_the_field(db, supervisor, api, params, field):
    response = api(supervisor).get(REPORT, params)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_an_unknown_report_is_not_found(db, supervisor, api):
    assert api(supervisor).get("/api/v1/reports/happiness/").status_code == 404


def test_the_command_prints_a_table_csv_or_json(db, shop, capsys):
    import json

    from django.core.management import call_command

    resolved(shop, 5)

    call_command("report", "resolution-time", "--group-by", "kind")
    assert "refund" in capsys.readouterr().out
    call_command("report", "resolution-time", "--format", "json")
    assert json.loads(capsys.readouterr().out)["results"][0]["median_hours"] == 5.0
    call_command("report", "resolution-time", "--format", "csv")
    assert capsys.readouterr().out.splitlines()[1].startswith("refund,1,5.0")


def test_the_command_says_which_option_is_wrong(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--until"):
        call_command("report", "resolution-time", "--since", "2026-11-05", "--until", "2026-11-01")


def test_a_reopened_case_counts_once_resolved_again_from_when_it_first_opened(db, shop, agent):
    import time_machine

    from tests.factories import TO_RESOLVED, reach_buyer, walk

    with time_machine.travel(T0, tick=False):
        case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
        reach_buyer(case, agent)
        walk(case, agent, "close", "reopen")
    assert rows() == {}  # reopened: not resolved now

    with time_machine.travel(T0 + timedelta(hours=6), tick=False):
        walk(case, agent, "calm", "listen", "propose", "accept")

    assert rows()["refund"].median_hours == 6.0
