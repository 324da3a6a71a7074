"""Reports answer a shop or agent that is not the reader's exactly as one that does not exist."""

from __future__ import annotations

import pytest

REPORT = "/api/v1/reports/resolution-time/"


def answer(api, user, **params) -> tuple[int, dict]:
    response = api(user).get(REPORT, params)
    return response.status_code, response.json()


@pytest.mark.parametrize(("field", "theirs"), [("shop", "elsewhere"), ("agent", "outsider")])
def test_a_shop_or_agent_of_another_shop_is_answered_as_one_that_does_not_exist(
    db, supervisor, outsider, api, field, theirs
):
    # given: `outsider` is an agent of the real shop `elsewhere`, which is not the supervisor's
    # when
    not_yours = answer(api, supervisor, **{field: theirs})
    unknown = answer(api, supervisor, **{field: "zz" + theirs[2:]})

    # then: the same status and the same words, but for the name asked about
    assert not_yours[0] == unknown[0] == 400
    assert not_yours[1]["errors"][field] == [m.replace("zz" + theirs[2:], theirs)
                                             for m in unknown[1]["errors"][field]]


def test_the_refusal_says_the_name_is_not_among_the_readers_shops(db, supervisor, other_shop, api):
    status, body = answer(api, supervisor, shop="elsewhere")

    assert status == 400
    assert body["errors"]["shop"] == ["None of your shops has the code elsewhere."]


def test_a_supervisor_still_names_their_own_shop_and_agents(db, shop, agent, supervisor, api):
    status, body = answer(api, supervisor, shop="demo", agent="agent1")

    assert status == 200
    assert body["results"] == []


def test_an_admin_names_any_shop_and_agent(db, admin, outsider, api):
    assert answer(api, admin, shop="elsewhere", agent="outsider")[0] == 200


def test_the_reports_page_answers_the_same_for_another_shop_as_for_none(
    client, supervisor, other_shop
):
    client.force_login(supervisor)

    not_yours = client.get("/reports/", {"shop": "elsewhere"})
    unknown = client.get("/reports/", {"shop": "nowhere"})

    assert not_yours.status_code == unknown.status_code == 400
    assert "None of your shops has the code elsewhere." in not_yours.content.decode()
