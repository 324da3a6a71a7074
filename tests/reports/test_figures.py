"""Backlog, outcomes and reviews reports against values counted by hand."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from cases.models import Case
from tests.factories import TO_RESOLVED, open_case, reach_buyer, walk


def report(api, user, name, **params):
    response = api(user).get(f"/api/v1/reports/{name}/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_backlog_counts_open_cases_by_state_and_age(db, shop, agent, supervisor, api):
    now = timezone.now()
    for days in (0.5, 2, 5, 10):
        case = open_case(shop, by=agent)
        Case.objects.filter(pk=case.pk).update(opened_at=now - timedelta(days=days))
    walk(open_case(shop, by=agent), agent, "withdraw")  # closed: not in the backlog

    rows = report(api, supervisor, "backlog")

    assert rows == [{"state": "new", "total": 4, "under_1_day": 1, "1_to_3_days": 1,
                     "3_to_7_days": 1, "over_7_days": 1}]


def test_outcomes_give_the_remedy_mix_refund_and_escalation_rates(db, shop, agent, teammate,
                                                                  supervisor, api):
    # a partial refund of 30 of 128 paid, resolved; an escalated case; a withdrawn one
    walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
    walk(open_case(shop, by=agent), agent, "acknowledge", "escalate")
    withdrawn = walk(open_case(shop, by=agent), agent, "withdraw")
    assert withdrawn.closed_as == "withdrawn"

    [row] = report(api, supervisor, "outcomes", group_by="kind")

    assert row["cases"] == 3
    assert row["remedy_mix"] == {"partial_refund": 1}
    assert row["refund_rate"] == round(30 / (3 * 128), 4)
    assert row["escalation_rate"] == round(1 / 3, 4)
    assert row["hand_over_rate"] == 0.0
    assert row["withdrawn_share"] == 1.0  # of the closed cases


def test_outcomes_count_reopened_and_handed_over_cases(db, shop, agent, teammate, supervisor, api):
    case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
    reach_buyer(case, agent)
    walk(case, agent, "close", "reopen")
    walk(open_case(shop, by=agent), agent, "acknowledge")
    from cases import services

    services.run_transition(case_id=Case.objects.latest("id").pk, name="hand_over", by=supervisor,
                            data={"to": teammate.username, "reason": "deadlocked"})

    [row] = report(api, supervisor, "outcomes")

    assert (row["reopen_rate"], row["hand_over_rate"]) == (0.5, 0.5)


def test_reviews_give_the_revised_and_replied_shares_and_the_rating_change(db, shop, agent,
                                                                            supervisor, api):
    from tests.reviews.factories import open_review_case

    walk(open_review_case(shop, agent, rating=1), agent,
          "calm", "listen", "remedy", "request_revision", "mark_revised")  # 1 → 5
    walk(open_review_case(shop, agent), agent, "reply_publicly")
    open_review_case(shop, agent)

    [row] = report(api, supervisor, "reviews", group_by="shop")

    assert row == {"group": "demo", "cases": 3, "revised_share": round(1 / 3, 4),
                   "replied_share": round(1 / 3, 4), "still_open_share": 1.0,
                   "mean_rating_change": 4.0}


def test_no_cases_make_empty_reports(db, shop, supervisor, api):
    for name in ("backlog", "outcomes", "reviews", "resolution-time"):
        assert report(api, supervisor, name) == []


# --- the report page ----------------------------------------------------------------------------

def test_the_report_page_shows_each_table_with_a_chart_and_a_csv_link(db, shop, agent, supervisor):
    from django.test import Client

    walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
    client = Client()
    client.force_login(supervisor)

    page = client.get("/reports/", {"group_by": "kind"}).content.decode()

    # without a range, the last twelve weeks (from a Monday), said in the form and in every link
    since = (timezone.localdate() - timedelta(days=timezone.localdate().weekday(), weeks=11))
    query = f"group_by=kind&amp;since={since.isoformat()}"
    for name in ("resolution-time", "first-response-time", "outcomes", "reviews"):
        assert f'href="/api/v1/reports/{name}/?format=csv&amp;{query}"' in page
    for chart in ("resolution", "first-response", "backlog", "rates", "remedies", "causes"):
        assert f'href="?{query}&amp;csv={chart}"' in page
    for chart in ("resolution", "first-response", "backlog", "rates", "remedies"):  # no review
        assert f'id="chart-data-{chart}" type="application/json"' in page
    assert "<th scope=\"col\">Median</th>" in page


def test_the_report_page_is_for_supervisors_and_says_what_is_wrong_with_a_filter(db, agent,
                                                                                supervisor):
    from django.test import Client

    as_agent, as_supervisor = Client(), Client()
    as_agent.force_login(agent)
    as_supervisor.force_login(supervisor)

    assert as_agent.get("/reports/").status_code == 403
    response = as_supervisor.get("/reports/", {"since": "2026-11-05", "until": "2026-11-01"})
    assert response.status_code == 400
    assert "Must be after since." in response.content.decode()


def test_time_in_state_measures_each_finished_stay_from_the_timeline(db, shop, agent, supervisor,
                                                                    api):
    import time_machine

    start = timezone.now() - timedelta(days=10)
    cases = []
    for hours_to_ack in (1, 3):  # two cases wait 1 h and 3 h in `new`
        with time_machine.travel(start, tick=False):
            case = open_case(shop, by=agent)
        with time_machine.travel(start + timedelta(hours=hours_to_ack), tick=False):
            walk(case, agent, "acknowledge")
        with time_machine.travel(start + timedelta(hours=hours_to_ack + 2), tick=False):
            walk(case, agent, "calm")  # then 2 h in `acknowledged`
        cases.append(case)

    rows = {r["state"]: r for r in report(api, supervisor, "time-in-state")}

    assert (rows["new"]["stays"], rows["new"]["median_hours"], rows["new"]["p90_hours"]) == (
        2, 2.0, 2.8)
    assert rows["acknowledged"]["median_hours"] == 2.0
    assert "calmed" not in rows  # still calmed: the stay has not ended


def test_deadlines_met_and_breaches_by_kind(db, shop, agent, supervisor, api):
    now = timezone.now()
    on_time = walk(open_case(shop, by=agent), agent, "acknowledge")
    late = walk(open_case(shop, by=agent), agent, "acknowledge")
    Case.objects.filter(pk=late.pk).update(first_response_due_at=now - timedelta(hours=1),
                                           first_responded_at=now)
    waiting = open_case(shop, by=agent)
    Case.objects.filter(pk=waiting.pk).update(first_response_due_at=now - timedelta(hours=1))
    assert on_time.first_responded_at <= on_time.first_response_due_at

    [row] = report(api, supervisor, "deadlines", group_by="kind")

    assert row == {"group": "refund", "cases": 3, "answered_in_time_share": 0.5,
                   "resolved_in_time_share": None, "breaches": 2}


def test_the_report_form_with_empty_filters_shows_everything(db, shop, agent, supervisor):
    from django.test import Client

    walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
    client = Client()
    client.force_login(supervisor)

    response = client.get("/reports/", {"group_by": "agent", "since": "", "until": "", "shop": "",
                                        "kind": "", "agent": ""})

    assert response.status_code == 200
    # the agent's row, a link to the cases behind it
    assert re.search(r'<td translate="no"><a href="/reports/cases/\?[^"]*figure=resolution-time'
                     r'[^"]*agent=agent1[^"]*">agent1</a></td>', response.content.decode())


def test_the_report_page_names_a_wrong_filter_by_its_label_and_keeps_what_was_typed(db, shop,
                                                                                   supervisor):
    from django.test import Client

    client = Client()
    client.force_login(supervisor)

    page = client.get("/reports/", {"shop": "nosuchshop"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()

    assert page.status_code == 400
    assert "<strong>店铺</strong>" in html and "<strong>shop</strong>" not in html
    assert 'value="nosuchshop"' in html


def test_the_page_pass_gives_the_outcomes_and_weekly_refunds_of_the_reports(db, shop, agent,
                                                                            teammate):
    from cases.models import Kind
    from cases.reports import figures

    # cases opened over three weeks, of two kinds and two agents: refunded, escalated, withdrawn,
    # open; one without an order (it counts, but pays nothing)
    now = timezone.now()
    for n, (by, kind, steps) in enumerate([
            (agent, Kind.REFUND, TO_RESOLVED), (teammate, Kind.REFUND, ("acknowledge", "escalate")),
            (agent, Kind.NON_DELIVERY, ("withdraw",)), (teammate, Kind.NON_DELIVERY, TO_RESOLVED),
            (agent, Kind.NON_DELIVERY, ()), (teammate, Kind.REFUND, TO_RESOLVED)]):
        case = walk(open_case(shop, by=by, kind=kind), by, *steps)
        Case.objects.filter(pk=case.pk).update(opened_at=now - timedelta(days=7 * (n % 3)))
    Case.objects.filter(pk=case.pk).update(order=None)
    cases = Case.objects.filter(shop=shop)

    for group_by in ("kind", "agent", "shop", "week"):
        found, weekly = figures.outcomes_and_refunds(cases, group_by, week_tz=shop.time_zone)

        assert found == figures.outcomes(cases, group_by, week_tz=shop.time_zone)
        assert weekly == figures.refunds(cases, "week", week_tz=shop.time_zone)
    assert len(weekly) == 3 and sum(row["cases"] for row in weekly) == 6
