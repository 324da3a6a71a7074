"""The report page's weekly series and the cases behind each figure, against values counted by
hand, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from cases.models import Case
from cases.reports.behind import cases_behind
from cases.reports.weekly import weekly_series, weeks_between
from tests.factories import TO_RESOLVED, open_case, walk

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEK_1, WEEK_2 = date(2026, 11, 9), date(2026, 11, 16)  # Mondays
RANGE = {"since": "2026-11-09", "until": "2026-11-23"}


def at(day: date, hour: float) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI) + timedelta(hours=hour)


def resolved(shop, opened: datetime, hours: float, answered_after: float = 1.0) -> Case:
    case = open_case(shop, by=None)
    Case.objects.filter(pk=case.pk).update(
        opened_at=opened, first_responded_at=opened + timedelta(hours=answered_after),
        resolved_at=opened + timedelta(hours=hours))
    return case


def query(**params) -> QueryDict:
    q = QueryDict(mutable=True)
    q.update({**RANGE, **params})
    return q


def three_cases_in_week_one_and_one_in_week_two(shop):
    for hours in (2, 4, 10):  # opened Tuesday 09:00, resolved the same week
        resolved(shop, at(WEEK_1 + timedelta(days=1), 9), hours)
    resolved(shop, at(WEEK_2, 0.5), 5, answered_after=0.5)  # Monday 00:30 in Shanghai
    # resolved on Monday 01:00 of week 2 in Shanghai (Sunday in UTC): counted in week 2
    resolved(shop, at(WEEK_1 + timedelta(days=6), 23), 2, answered_after=0.25)


def test_weeks_run_from_the_monday_of_the_first_day_to_that_of_the_last():
    assert weeks_between(date(2026, 11, 11), date(2026, 11, 23)) == [
        date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]


def test_the_weekly_times_are_exact_medians_and_p90s_by_the_week_of_the_shop(db, shop,
                                                                             supervisor):
    three_cases_in_week_one_and_one_in_week_two(shop)

    series = weekly_series(by=supervisor, params=query(), today=date(2026, 12, 1))

    assert series.weeks == [WEEK_1, WEEK_2]
    one, two = series.resolution[WEEK_1], series.resolution[WEEK_2]
    # week 1: 2, 4, 10 h → median 4; p90 at 1 + 0.9·2 = 2.8 → 4 + 0.8·6 = 8.8
    assert (one.count, one.median_hours, one.p90_hours) == (3, 4.0, 8.8)
    # week 2: 2 h (resolved Monday 01:00 Shanghai) and 5 h → median 3.5, p90 2 + 0.9·3 = 4.7
    assert (two.count, two.median_hours, two.p90_hours) == (2, 3.5, 4.7)
    # the first reply: week 1 three of 1 h; week 2: 0.25 h (Sunday 23:15) and 0.5 h
    assert series.first_response[WEEK_1].median_hours == 1.0
    assert series.first_response[WEEK_1].count == 4
    assert (series.first_response[WEEK_2].count, series.first_response[WEEK_2].median_hours) == (
        1, 0.5)


def test_the_weekly_refund_rate_and_remedies_count_the_cases_opened_that_week(db, shop, agent,
                                                                              supervisor):
    refunded = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)  # 30 of 128, partial
    other = open_case(shop, by=agent)
    Case.objects.filter(pk__in=[refunded.pk, other.pk]).update(opened_at=at(WEEK_2, 10))
    Case.objects.filter(pk=refunded.pk).update(resolved_at=at(WEEK_2, 20))

    series = weekly_series(by=supervisor, params=query(), today=date(2026, 12, 1))

    assert series.opened == {WEEK_2: 2}
    assert series.refund_rate[WEEK_2] == round(30 / (2 * 128), 4)
    assert series.remedies == {"partial_refund": 1}


def test_the_series_takes_a_fixed_number_of_queries(db, shop, supervisor,
                                                    django_assert_num_queries):
    from django.contrib.auth.models import User

    three_cases_in_week_one_and_one_in_week_two(shop)
    weekly_series(by=supervisor, params=query(), today=date(2026, 12, 1))  # what is read once
    reader = User.objects.get(pk=supervisor.pk)  # roles not yet read
    # the reader's roles and shops (one query), then the four weekly aggregates (the refunds with
    # their remedies, one query: figures.cohort_sums) and the causes
    with django_assert_num_queries(7):
        weekly_series(by=reader, params=query(), today=date(2026, 12, 1))
    for n in range(20):
        resolved(shop, at(WEEK_1, n), n + 1)
    reader = User.objects.get(pk=supervisor.pk)
    with django_assert_num_queries(7):
        weekly_series(by=reader, params=query(), today=date(2026, 12, 1))


# --- the cases behind a figure ------------------------------------------------------------------

def test_the_cases_behind_a_week_are_exactly_those_the_week_counted(db, shop, supervisor):
    three_cases_in_week_one_and_one_in_week_two(shop)
    series = weekly_series(by=supervisor, params=query(), today=date(2026, 12, 1))

    for week in (WEEK_1, WEEK_2):
        _f, cases = cases_behind(by=supervisor, params=query(figure="resolution-time",
                                                             week=week.isoformat()))
        assert cases.count() == series.resolution[week].count
        _f, cases = cases_behind(by=supervisor, params=query(figure="first-response-time",
                                                             week=week.isoformat()))
        assert cases.count() == series.first_response[week].count


def test_the_cases_behind_a_backlog_bar_are_its_state_and_age(db, shop, agent, supervisor, api):
    now = timezone.now()
    for days in (0.5, 2, 2.5, 10):
        case = open_case(shop, by=agent)
        Case.objects.filter(pk=case.pk).update(opened_at=now - timedelta(days=days))
    walk(open_case(shop, by=agent), agent, "withdraw")  # closed: not in the backlog

    _f, cases = cases_behind(by=supervisor, params={"figure": "backlog", "state": "new",
                                                    "age": "1_to_3_days"})
    [row] = api(supervisor).get("/api/v1/reports/backlog/").json()["results"]

    assert cases.count() == row["1_to_3_days"] == 2


def test_the_cases_behind_a_remedy_and_a_cause(db, shop, agent, supervisor):
    from tests.reviews.factories import open_review_case

    walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
    open_case(shop, by=agent)
    walk(open_review_case(shop, agent), agent, "calm", "listen")  # listen records a cause
    open_review_case(shop, agent)  # no cause found yet
    series = weekly_series(by=supervisor, params=QueryDict(), today=timezone.localdate())

    _f, refunds = cases_behind(by=supervisor, params={"figure": "outcomes",
                                                      "remedy": "partial_refund"})
    assert refunds.count() == series.remedies["partial_refund"] == 1
    for cause, n in series.causes.items():
        _f, found = cases_behind(by=supervisor, params={"figure": "reviews", "cause": cause})
        assert found.count() == n
    assert sum(series.causes.values()) == 2 and series.causes.get("unknown") == 1


def test_a_bad_figure_is_refused_with_its_reason(db, supervisor):
    client = Client()
    client.force_login(supervisor)

    for params, reason in (({"figure": "nothing"}, "is not a valid choice"),
                           ({"figure": "outcomes", "week": "2026-11-10"}, "starts on a Monday"),
                           ({"figure": "backlog", "age": "forever"}, "is not a valid choice"),
                           ({"figure": "reviews", "since": "yesterday"}, "year-month-day")):
        response = client.get("/reports/cases/", params)
        assert response.status_code == 400, params
        assert reason in response.content.decode()
