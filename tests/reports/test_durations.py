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
