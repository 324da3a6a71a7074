"""GET /api/v1/cases/{id}/similar/: the resolved cases of the same shop most like this one, with
what resolved them, for the users who may read them; and the case detail's `suggestions`."""

from __future__ import annotations

import pytest

from cases.models import Kind
from tests.cases.assistant_cases import (
    CRACKED,
    LATE,
    buyer_writes,
    everything_represented,
    resolved_refund,
    resolved_review,
)
from tests.factories import open_case
from tests.reviews.factories import open_review_case

pytestmark = pytest.mark.usefixtures("no_cached_matrices")


def similar(api, user, case):
    response = api(user).get(f"/api/v1/cases/{case.pk}/similar/")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_most_similar_resolved_case_comes_first_with_what_resolved_it(api, shop, agent):
    cracked = resolved_refund(shop, agent, CRACKED, reply="非常抱歉，杯子的问题我们马上为您退款30元。")
    resolved_refund(shop, agent, LATE, reply="快递的问题我们已经催促了。", remedy="full_refund",
                    amount="128.00")
    new = open_case(shop, by=agent, description="杯子有裂痕")
    everything_represented()

    results = similar(api, agent, new)

    assert results[0]["id"] == cracked.pk
    first = results[0]
    assert first["kind"] == "refund"
    assert first["remedy"] == "partial_refund"
    assert first["amount"] == "30.00"
    assert first["reply"] == "非常抱歉，杯子的问题我们马上为您退款30元。"
    assert first["cause"] is None
    assert first["resolved_in_hours"] >= 0
    assert first["core_problem"]
    assert 0 < first["score"] <= 1
    assert results[0]["score"] >= results[1]["score"]


def test_a_reply_that_failed_the_phrase_check_is_never_offered(api, shop, agent):
    resolved_refund(shop, agent, CRACKED, reply="不行，这个我不能退。")
    new = open_case(shop, by=agent, description=CRACKED)
    everything_represented()

    assert similar(api, agent, new)[0]["reply"] == ""


def test_open_cases_the_case_itself_and_other_shops_are_left_out(api, shop, other_shop, agent,
                                                                 supervisor):
    from tests.factories import UserFactory

    other_agent = UserFactory(role="agent", shops=[other_shop])
    resolved_refund(other_shop, other_agent, CRACKED)  # another shop's
    still_open = open_case(shop, by=agent, description=CRACKED)
    new = open_case(shop, by=agent, description=CRACKED)
    everything_represented()

    assert similar(api, supervisor, new) == []
    assert similar(api, supervisor, still_open) == []


def test_a_case_whose_vector_is_not_made_yet_has_no_similar_cases_yet(api, shop, agent):
    resolved_refund(shop, agent, CRACKED)
    everything_represented()
    new = open_case(shop, by=agent, description=CRACKED)  # the worker has not run

    assert similar(api, agent, new) == []


def test_a_new_resolution_is_seen_by_the_cached_matrix(api, shop, agent):
    first = resolved_refund(shop, agent, CRACKED)
    new = open_case(shop, by=agent, description=CRACKED)
    everything_represented()
    assert [r["id"] for r in similar(api, agent, new)] == [first.pk]

    second = resolved_refund(shop, agent, CRACKED + "，太失望")
    everything_represented()

    assert {r["id"] for r in similar(api, agent, new)} == {first.pk, second.pk}


def test_at_most_five_are_answered(api, shop, agent):
    for i in range(7):
        resolved_refund(shop, agent, f"{CRACKED} {i}")
    new = open_case(shop, by=agent, description=CRACKED)
    everything_represented()

    assert len(similar(api, agent, new)) == 5


@pytest.mark.parametrize("who", ["outsider", None])
def test_someone_who_may_not_read_the_case_gets_404_or_401(request, api, shop, agent, who):
    new = open_case(shop, by=agent, description=CRACKED)
    user = request.getfixturevalue(who) if who else None

    response = api(user).get(f"/api/v1/cases/{new.pk}/similar/")

    assert response.status_code == (404 if who else 401)


def test_an_unknown_case_is_404(api, agent):
    assert api(agent).get("/api/v1/cases/999999/similar/").status_code == 404


def test_the_similar_cases_cost_the_same_queries_for_3_resolved_cases_as_for_12(
    api, shop, agent, django_assert_max_num_queries
):
    from django.contrib.auth.models import User

    new = open_case(shop, by=agent, description=CRACKED)
    for i in range(3):
        resolved_refund(shop, agent, f"{CRACKED} {i}")
    everything_represented()
    api(agent).get(f"/api/v1/cases/{new.pk}/similar/")  # the shop's matrix is loaded once

    # the session and user, their groups and shops, the case, the case's vector with the shop's
    # stamp, the neighbours' rows (replies, reopenings and reviews in subqueries)
    for extra in (0, 9):
        for i in range(extra):
            resolved_refund(shop, agent, f"{LATE} {i}")
        everything_represented()
        api(agent).get(f"/api/v1/cases/{new.pk}/similar/")  # a new matrix after resolutions
        fresh = User.objects.get(pk=agent.pk)
        with django_assert_max_num_queries(6):
            assert len(similar(api, fresh, new)) == (5 if extra else 3)


def test_suggestions_are_null_with_too_little_history(api, shop, agent):
    resolved_review(shop, agent, CRACKED, cause="logistics")
    new = open_review_case(shop, by=agent, text=CRACKED)
    everything_represented()

    body = api(agent).get(f"/api/v1/cases/{new.pk}/").json()

    assert body["suggestions"] == {"cause": None, "remedies": None}


def test_the_likely_cause_is_the_vote_of_the_nearest_resolved_reviews(api, shop, agent):
    for i in range(4):
        resolved_review(shop, agent, f"{CRACKED}，第{i}次", cause="logistics")
    resolved_review(shop, agent, f"{CRACKED}，质量也差", cause="quality", revised=False)
    resolved_review(shop, agent, LATE, cause="logistics", revised=False)
    new = open_review_case(shop, by=agent, text=CRACKED)
    everything_represented()

    suggestions = api(agent).get(f"/api/v1/cases/{new.pk}/").json()["suggestions"]

    assert suggestions["cause"]["value"] == "logistics"
    assert 0.5 < suggestions["cause"]["confidence"] < 1
    # reship ended 4 of the 6 well (revised); the two answered publicly were not revised
    assert suggestions["remedies"] == [{"value": "reship", "share": 0.67}]


def test_remedies_rank_by_how_many_similar_cases_they_ended_well(api, shop, agent):
    for i in range(3):
        resolved_refund(shop, agent, f"{CRACKED} {i}", remedy="partial_refund", amount="30.00")
    for i in range(2):
        resolved_refund(shop, agent, f"{CRACKED} 换货 {i}", remedy="full_refund", amount="128.00")
    new = open_case(shop, by=agent, description=CRACKED)
    everything_represented()

    suggestions = api(agent).get(f"/api/v1/cases/{new.pk}/").json()["suggestions"]

    assert suggestions["cause"] is None  # a refund has no review cause
    assert suggestions["remedies"] == [{"value": "partial_refund", "share": 1.0},
                                       {"value": "full_refund", "share": 1.0}]


def test_a_buyer_message_on_a_resolved_case_changes_its_vector_and_the_matrix_follows(
    api, shop, agent
):
    old = resolved_refund(shop, agent, LATE)
    new = open_case(shop, by=agent, kind=Kind.REFUND, description=CRACKED)
    everything_represented()
    before = similar(api, agent, new)[0]["score"]

    buyer_writes(old, CRACKED)
    everything_represented()

    assert similar(api, agent, new)[0]["score"] > before


def test_suggestions_cost_the_case_detail_one_query_once_the_case_has_a_vector(api, shop, agent):
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def detail_queries():
        with CaptureQueriesContext(connection) as queries:
            body = api(User.objects.get(pk=agent.pk)).get(f"/api/v1/cases/{new.pk}/").json()
        return len(queries), body

    for i in range(6):
        resolved_review(shop, agent, f"{CRACKED} {i}", cause="logistics")
    new = open_review_case(shop, by=agent, text=CRACKED)
    without, body = detail_queries()  # the look for the case's vector finds none
    assert body["suggestions"] == {"cause": None, "remedies": None}

    everything_represented()
    detail_queries()  # the shop's matrix, once
    with_vector, body = detail_queries()

    assert body["suggestions"]["cause"]["value"] == "logistics"
    assert with_vector == without + 1  # the similar cases' rows
