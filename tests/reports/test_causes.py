"""Review causes over time: counts per week and the causes rising this week against the usual."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases.reports.causes import review_causes
from config.service_errors import InvalidInput
from reviews.models import Review
from tests.factories import open_case

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
URL = "/api/v1/reports/review-causes/"


def reviews(shop, cause: str, weeks_ago: int, n: int) -> None:
    """n negative reviews of `cause` posted in the week `weeks_ago` (0: the last seven days)."""
    for _ in range(n):
        k = Review.objects.count()
        posted = NOW - timedelta(days=7 * weeks_ago + 1, hours=k % 20)
        made = open_case(shop, by=None, kind="negative_review", review={
            "platform_review_id": f"R{k}", "rating": 1, "text": "慢",
            "posted_at": posted.isoformat()})
        Review.objects.filter(case=made).update(cause=cause)


@pytest.fixture
def history(shop):
    """logistics: 1 a week for four weeks, then 3 this week; quality: 2 a week, 2 this week;
    price: none before, 3 this week; service: none before, 2 this week."""
    for weeks_ago in (1, 2, 3, 4):
        reviews(shop, "logistics", weeks_ago, 1)
        reviews(shop, "quality", weeks_ago, 2)
    reviews(shop, "logistics", 0, 3)
    reviews(shop, "quality", 0, 2)
    reviews(shop, "price", 0, 3)
    reviews(shop, "service_attitude", 0, 2)
    reviews(shop, "logistics", 9, 5)  # long ago: outside every window asked for
    return shop


def test_each_cause_is_counted_per_week_oldest_first(history):
    found = review_causes(by=None, params={"weeks": 5}, now=NOW)

    counts = {c["cause"]: c["counts"] for c in found["causes"]}
    assert counts["logistics"] == [1, 1, 1, 1, 3]
    assert counts["quality"] == [2, 2, 2, 2, 2]
    assert counts["price"] == [0, 0, 0, 0, 3]
    assert len(found["weeks"]) == 5
    assert found["weeks"][-1]["end"] == NOW


def test_rising_causes_are_those_well_above_their_usual(history):
    found = review_causes(by=None, params={}, now=NOW)

    rising = [(r["cause"], r["this_week"], r["usual"], r["ratio"]) for r in found["rising"]]
    # price is new (nothing usual: no ratio) and listed first; logistics 3 against 1 a week;
    # quality holds steady; service_attitude has only 2 (too few to call)
    assert rising == [("price", 3, 0.0, None), ("logistics", 3, 1.0, 3.0)]
    assert found["rising"][1]["label"] == "Logistics"


def test_causes_are_named_in_the_readers_language(history):
    from django.utils import translation

    with translation.override("zh-hans"):
        found = review_causes(by=None, params={}, now=NOW)

    assert found["rising"][1]["label"] == "物流"


def test_a_review_without_a_cause_yet_is_not_counted(shop):
    reviews(shop, "", 0, 4)

    assert review_causes(by=None, params={}, now=NOW)["causes"] == []


@pytest.mark.parametrize("params, field", [
    ({"weeks": "0"}, "weeks"), ({"weeks": "53"}, "weeks"), ({"weeks": "many"}, "weeks"),
    ({"shop": "elsewhere"}, "shop"),
])
def test_bad_queries_are_refused(shop, other_shop, supervisor, params, field):
    with pytest.raises(InvalidInput) as refused:
        review_causes(by=supervisor, params=params)

    assert field in refused.value.errors


def test_the_api_answers_supervisors_and_refuses_agents(history, supervisor, agent, api):
    answer = api(supervisor).get(URL, {"shop": "demo", "weeks": 6})

    assert answer.status_code == 200
    assert len(answer.json()["weeks"]) == 6
    assert api(agent).get(URL).status_code == 403
    assert api(supervisor).get(URL, {"weeks": "x"}).status_code == 400


def test_the_counts_are_one_query(history, django_assert_num_queries):
    with django_assert_num_queries(2):  # the shops, the counts
        review_causes(by=None, params={}, now=NOW)


def test_the_include_names_the_rising_causes_in_the_readers_language(history, supervisor):
    from django.template.loader import render_to_string
    from django.utils import translation

    from cases.pages.scorecard import rising_causes

    with translation.override("zh-hans"):
        found = rising_causes(supervisor, {"shop": "demo"})
        html = render_to_string("reports/_rising_causes.html", {"rising_causes": found})

    # (the history's "now" is fixed; the page asks about the real now, so nothing may be rising)
    assert "正在增多的差评原因" in html


def test_the_include_reads_3x_the_usual_and_new(history):
    from django.template.loader import render_to_string

    found = review_causes(by=None, params={}, now=NOW)["rising"]
    html = render_to_string("reports/_rising_causes.html", {"rising_causes": found})

    assert "Logistics</strong>: 3× the usual (3 this week)" in html
    assert "Price</strong>: new: 3 this week, none in the four weeks before" in html


def test_an_agent_gets_no_rising_causes_on_the_page(history, agent):
    from cases.pages.scorecard import rising_causes

    assert rising_causes(agent, {}) == []
