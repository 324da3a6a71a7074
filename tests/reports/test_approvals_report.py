"""Refund approvals per supervisor and week: asked, approved, declined, still waiting, and how
long approval took; the API answers with the rows, supervisors only."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from cases import services
from cases.models import Case
from cases.reports.approvals import approval_figures, approvals_per_week
from tests.factories import UserFactory, open_case, walk

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)  # a Monday


def asked(shop, agent, at):
    with time_machine.travel(at, tick=False):
        case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")
        return services.run_transition(case_id=case.pk, name="propose", by=agent,
                                       data={"remedy": "partial_refund", "amount": "100.00"})


def decide(case, by, name, at):
    with time_machine.travel(at, tick=False):
        services.run_transition(case_id=case.pk, name=name, by=by,
                                data={"reason": "Too much."} if name == "decline_remedy" else {})


def scene(shop, agent, supervisor):
    shop.refund_approval_above = Decimal("50")
    shop.time_zone = "Asia/Shanghai"
    shop.save()
    boss = UserFactory(username="supervisor2", role="supervisor", shops=[shop])
    first = asked(shop, agent, MONDAY)
    decide(first, supervisor, "approve_remedy", MONDAY + timedelta(hours=2))
    second = asked(shop, agent, MONDAY + timedelta(hours=1))
    decide(second, supervisor, "approve_remedy", MONDAY + timedelta(hours=5))
    third = asked(shop, agent, MONDAY + timedelta(days=1))
    decide(third, boss, "decline_remedy", MONDAY + timedelta(days=1, hours=1))
    asked(shop, agent, MONDAY + timedelta(days=8))  # the next week, nobody decided yet


def test_the_figures_count_per_supervisor_and_week(shop, agent, supervisor):
    scene(shop, agent, supervisor)

    rows = approval_figures(Case.objects.all(), week_tz="Asia/Shanghai")

    assert rows == [
        {"week": "2026-11-02", "supervisor": "supervisor1", "asked": 2, "approved": 2,
         "declined": 0, "waiting": 0, "median_hours_to_approve": 3.0,
         "mean_hours_to_approve": 3.0},
        {"week": "2026-11-02", "supervisor": "supervisor2", "asked": 1, "approved": 0,
         "declined": 1, "waiting": 0, "median_hours_to_approve": None,
         "mean_hours_to_approve": None},
        {"week": "2026-11-09", "supervisor": None, "asked": 1, "approved": 0, "declined": 0,
         "waiting": 1, "median_hours_to_approve": None, "mean_hours_to_approve": None},
    ]


def test_since_and_until_select_when_approval_was_asked(shop, agent, supervisor):
    scene(shop, agent, supervisor)

    rows = approval_figures(Case.objects.all(), since=datetime(2026, 11, 9).date(),
                            week_tz="Asia/Shanghai")

    assert [(r["week"], r["asked"]) for r in rows] == [("2026-11-09", 1)]


def test_the_api_answers_supervisors_with_the_rows(api, shop, agent, supervisor):
    scene(shop, agent, supervisor)

    response = api(supervisor).get("/api/v1/reports/approvals/?shop=demo&since=2026-11-01")

    assert response.status_code == 200
    body = response.json()
    assert body["report"] == "approvals"
    assert sum(r["asked"] for r in body["results"]) == 4


def test_the_api_refuses_agents_and_bad_dates(api, agent, supervisor):
    assert api(agent).get("/api/v1/reports/approvals/").status_code == 403
    response = api(supervisor).get("/api/v1/reports/approvals/?since=yesterday")
    assert response.status_code == 400
    assert "since" in response.json()["errors"]


def test_the_report_reads_one_query_on_the_timeline(shop, agent, supervisor,
                                                    django_assert_num_queries):
    scene(shop, agent, supervisor)

    with django_assert_num_queries(1):
        approval_figures(Case.objects.all())


def test_the_chart_reads_each_week_over_every_supervisor_from_the_same_query(
        shop, agent, supervisor, django_assert_num_queries):
    scene(shop, agent, supervisor)

    with django_assert_num_queries(1):
        rows, weeks = approvals_per_week(Case.objects.all(), week_tz="Asia/Shanghai")

    assert rows == approval_figures(Case.objects.all(), week_tz="Asia/Shanghai")
    assert weeks == [
        {"week": "2026-11-02", "supervisor": None, "asked": 3, "approved": 2, "declined": 1,
         "waiting": 0, "median_hours_to_approve": 3.0, "mean_hours_to_approve": 3.0},
        {"week": "2026-11-09", "supervisor": None, "asked": 1, "approved": 0, "declined": 0,
         "waiting": 1, "median_hours_to_approve": None, "mean_hours_to_approve": None},
    ]
