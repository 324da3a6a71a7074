"""The quick replies' API: the reply box lists them for a case and inserts one; supervisors write."""

from __future__ import annotations

import pytest

from cases.models import CannedReply, Kind
from tests.cases.canned import REPLIES, a_reply, reply_data
from tests.factories import UserFactory, open_case, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(shop, agent):
    case = open_case(shop, agent, Kind.REFUND, customer={"name": "王芳", "handle": "wf88"})
    return walk(case, agent, "acknowledge", "calm", "listen", "propose")  # partial refund ¥30.00


@pytest.fixture
def foreign_supervisor(other_shop):
    return UserFactory(username="boss2", role="supervisor", shops=[other_shop])


def test_a_case_lists_its_shops_replies_for_its_kind_each_filled_for_it(api, case, agent,
                                                                        supervisor, shop):
    hi = a_reply(shop, supervisor, body="{buyer}您好，{remedy}{amount}已为您安排。")
    refund = a_reply(shop, supervisor, shortcut="refund", kind="refund", language="en",
                     body="Hi {buyer}, your {remedy} of {amount} is on its way.")
    a_reply(shop, supervisor, shortcut="revise", kind="negative_review")
    archived = a_reply(shop, supervisor, shortcut="old")
    CannedReply.objects.filter(pk=archived.pk).update(archived=True)

    response = api(agent).get(f"{REPLIES}?case={case.pk}")

    assert response.status_code == 200
    rows = {row["shortcut"]: row for row in response.json()}
    assert set(rows) == {"hi", "refund"}
    assert rows["hi"]["filled"] == "王芳您好，部分退款¥30.00已为您安排。"
    assert rows["refund"]["filled"] == "Hi 王芳, your Partial refund of ¥30.00 is on its way."
    assert rows["hi"]["id"] == hi.pk and rows["refund"]["id"] == refund.pk
    assert {"title", "language", "body", "kind", "step", "usage_count"} <= set(rows["hi"])


def test_the_list_is_filtered_by_language(api, case, agent, supervisor, shop):
    a_reply(shop, supervisor)
    a_reply(shop, supervisor, language="en", body="Hello {buyer}")

    response = api(agent).get(f"{REPLIES}?case={case.pk}&language=en")

    assert [row["language"] for row in response.json()] == ["en"]


def test_without_a_case_the_list_is_the_users_shops_replies_unfilled(api, agent, supervisor, shop,
                                                                     other_shop,
                                                                     foreign_supervisor):
    a_reply(shop, supervisor)
    a_reply(other_shop, foreign_supervisor, shortcut="theirs")

    rows = api(agent).get(REPLIES).json()

    assert [(row["shortcut"], row["shop"], row["filled"]) for row in rows] == [("hi", "demo", None)]


@pytest.mark.parametrize("query", ["case=abc", "case=0", "case=99999999999999999999",
                                   "language=fr"])
def test_a_bad_query_is_a_400_naming_it(api, agent, query):
    response = api(agent).get(f"{REPLIES}?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_a_case_the_user_cannot_see_is_a_404(api, case, outsider, foreign_supervisor):
    assert api(outsider).get(f"{REPLIES}?case={case.pk}").status_code == 404
    assert api(foreign_supervisor).get(f"{REPLIES}?case={case.pk}").status_code == 404
    assert api(None).get(f"{REPLIES}?case={case.pk}").status_code == 401


def test_listing_for_a_case_takes_the_same_queries_for_3_or_30_replies(
        api, case, agent, supervisor, shop, django_assert_num_queries):
    for n in range(3):
        a_reply(shop, supervisor, shortcut=f"r{n}", body="{buyer} {order} {amount} {deadline}")
    client = api(agent)
    client.get(f"{REPLIES}?case={case.pk}")  # the user's roles, read once per user object
    # the case with its shop, order and buyer; the replies
    with django_assert_num_queries(2):
        assert len(client.get(f"{REPLIES}?case={case.pk}").json()) == 3
    for n in range(3, 30):
        a_reply(shop, supervisor, shortcut=f"r{n}", body="{remedy} {agent} {shop}")
    with django_assert_num_queries(2):
        assert len(client.get(f"{REPLIES}?case={case.pk}").json()) == 30


def test_a_supervisor_creates_a_reply(api, supervisor, shop):
    response = api(supervisor).post(REPLIES, reply_data(shop, kind="refund", step="propose"),
                                    format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["shortcut"], body["kind"], body["step"], body["filled"]) == (
        "hi", "refund", "propose", None)
    assert CannedReply.objects.get().created_by == supervisor


def test_a_phrase_to_avoid_is_a_400_with_its_hits_and_nothing_saved(api, supervisor, shop):
    response = api(supervisor).post(REPLIES, reply_data(shop, body="Sorry, I can't refund that."),
                                    format="json")

    assert response.status_code == 400
    assert [hit["phrase"] for hit in response.json()["phrase_hits"]] == ["I can't"]
    assert not CannedReply.objects.exists()


def test_an_unknown_variable_is_a_400_naming_it(api, supervisor, shop):
    response = api(supervisor).post(REPLIES, reply_data(shop, body="Hi {nickname}"), format="json")

    assert response.status_code == 400
    assert "{nickname}" in response.json()["errors"]["body"][0]


def test_an_agent_gets_403_and_another_shops_supervisor_a_400_that_tells_nothing(
        api, agent, shop, foreign_supervisor):
    as_agent = api(agent).post(REPLIES, reply_data(shop), format="json")
    foreign = api(foreign_supervisor).post(REPLIES, reply_data(shop), format="json")
    missing = api(foreign_supervisor).post(REPLIES, {**reply_data(shop), "shop": "nope"},
                                           format="json")

    assert as_agent.status_code == 403
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["errors"]["shop"][0].replace("demo", "nope") == (
        missing.json()["errors"]["shop"][0])
    assert not CannedReply.objects.exists()


@pytest.mark.parametrize("body", [[], "text", {"shop": ["demo"]}, {"shop": "demo", "title": 5}])
def test_a_malformed_body_is_a_400(api, supervisor, shop, body):
    assert api(supervisor).post(REPLIES, body, format="json").status_code == 400


def test_patch_changes_and_delete_archives(api, supervisor, agent, shop):
    reply = a_reply(shop, supervisor)
    url = f"{REPLIES}{reply.pk}/"

    patched = api(supervisor).patch(url, {"title": "Welcome", "step": "acknowledge"},
                                    format="json")
    assert patched.status_code == 200 and patched.json()["title"] == "Welcome"
    assert api(agent).patch(url, {"title": "x"}, format="json").status_code == 403
    assert api(agent).delete(url).status_code == 403
    assert api(supervisor).delete(url).status_code == 204
    assert CannedReply.objects.get().archived
    assert api(agent).get(REPLIES).json() == []
    assert api(supervisor).delete(url).status_code == 404


def test_use_fills_the_reply_for_the_case_and_counts_it(api, case, agent, supervisor, shop):
    reply = a_reply(shop, supervisor, body="{buyer}您好，订单{order}的{remedy}已安排。")

    response = api(agent).post(f"{REPLIES}{reply.pk}/use/", {"case": case.pk}, format="json")

    assert response.status_code == 200
    assert response.json() == {"filled": f"王芳您好，订单{case.order.number}的部分退款已安排。"}
    reply.refresh_from_db()
    assert reply.usage_count == 1


def test_other_shops_staff_can_neither_see_nor_use_a_reply(api, case, agent, supervisor, shop,
                                                           other_shop, outsider,
                                                           foreign_supervisor):
    reply = a_reply(shop, supervisor)
    theirs = a_reply(other_shop, foreign_supervisor)

    assert api(outsider).post(f"{REPLIES}{reply.pk}/use/", {"case": case.pk},
                              format="json").status_code == 404
    assert api(agent).post(f"{REPLIES}{theirs.pk}/use/", {"case": case.pk},
                           format="json").status_code == 404
    assert api(foreign_supervisor).patch(f"{REPLIES}{reply.pk}/", {"title": "x"},
                                         format="json").status_code == 404
    assert set(CannedReply.objects.values_list("usage_count", flat=True)) == {0}


@pytest.mark.parametrize("body", [{}, {"case": "x"}, {"case": 10**30}, {"case": True}])
def test_use_without_a_good_case_id_is_a_400(api, agent, supervisor, shop, body):
    reply = a_reply(shop, supervisor)

    assert api(agent).post(f"{REPLIES}{reply.pk}/use/", body, format="json").status_code == 400
