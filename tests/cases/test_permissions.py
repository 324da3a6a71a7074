"""Who sees and works which case, persona by persona (hc/test.py style: one table per action).

Any agent of a shop reads every case of it (a teammate's too); the lists show what each one works.

The scene: in the demo shop, a case of the agent's, an unassigned case and a case of the
teammate's (all acknowledged); in the other shop, an unassigned acknowledged case. The outsider is
an agent of the other shop.
"""

from __future__ import annotations

from typing import Any

import pytest

from cases.models import Case, Contact, State, TimelineEvent
from tests.factories import STEP_DATA, UserFactory, case_payload, open_case, step, walk

CASES = "/api/v1/cases/"
PERSONAS = ["agent", "teammate", "supervisor", "outsider", "admin"]
SCENE = ["agents", "unassigned", "teammates", "other_shops"]


@pytest.fixture
def scene(shop, other_shop, agent, teammate, supervisor, outsider, admin) -> dict[str, Case]:
    UserFactory(username="agent3", role="agent", shops=[shop])  # someone to hand cases to
    return {
        "agents": walk(open_case(shop, by=agent), agent, "acknowledge"),
        # a supervisor's (or an admin's) step does not take the case
        "unassigned": walk(open_case(shop, by=agent), supervisor, "acknowledge"),
        "teammates": walk(open_case(shop, by=teammate), teammate, "acknowledge"),
        "other_shops": walk(open_case(other_shop, by=outsider), admin, "acknowledge"),
    }


def table(rows: dict[str, str]) -> list[Any]:
    """{"case": "agent teammate supervisor outsider admin" results} → parametrize rows."""
    params = []
    for case_name, results in rows.items():
        for persona, expected in zip(PERSONAS, results.split(), strict=True):
            params.append(pytest.param(persona, case_name, int(expected),
                                       id=f"{persona}-on-{case_name}"))
    return params


def state_of(case: Case) -> tuple[Any, ...]:
    row = Case.objects.values_list("state", "assignee_id").get(pk=case.pk)
    return (*row, TimelineEvent.objects.filter(case=case).count(),
            Contact.objects.filter(case=case).count())


# --- seeing a case --------------------------------------------------------------------------------

SEE = table({
    #               agent teammate supervisor outsider admin
    "agents":      "200   200      200        404      200",
    "unassigned":  "200   200      200        404      200",
    "teammates":   "200   200      200        404      200",
    "other_shops": "404   404      404        200      200",
})


@pytest.mark.parametrize(("persona", "case_name", "status"), SEE)
def test_who_sees_which_case(request, api, scene, persona, case_name, status):
    user = request.getfixturevalue(persona)

    response = api(user).get(f"{CASES}{scene[case_name].pk}/")

    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": f"There is no case {scene[case_name].pk}."}
    else:
        assert response.json()["id"] == scene[case_name].pk


LISTS = {
    "agent": {"agents", "unassigned"},
    "teammate": {"unassigned", "teammates"},
    "supervisor": {"agents", "unassigned", "teammates"},
    "outsider": {"other_shops"},
    "admin": {"agents", "unassigned", "teammates", "other_shops"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_queue_only_ever_lists_the_cases_a_user_may_see(request, api, scene, persona):
    user = request.getfixturevalue(persona)

    every_filter = [
        "", "?assignee=agent1", "?assignee=agent2", "?assignee=none", "?shop=demo",
        "?shop=elsewhere", "?state=acknowledged", "?kind=refund", "?page_size=200",
    ]
    for query in every_filter:
        listed = {row["id"] for row in api(user).get(CASES + query).json()["results"]}
        assert listed <= {scene[name].pk for name in LISTS[persona]}, query

    listed = {row["id"] for row in api(user).get(CASES).json()["results"]}
    assert listed == {scene[name].pk for name in LISTS[persona]}


READS = {
    "agent": {"agents", "unassigned", "teammates"},
    "teammate": {"agents", "unassigned", "teammates"},
    "supervisor": {"agents", "unassigned", "teammates"},
    "outsider": {"other_shops"},
    "admin": {"agents", "unassigned", "teammates", "other_shops"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_user_opens_what_they_list_and_every_case_of_their_shops(request, api, scene, persona):
    user = request.getfixturevalue(persona)

    listed = {row["id"] for row in api(user).get(CASES).json()["results"]}
    opened = {case.pk for case in scene.values()
              if api(user).get(f"{CASES}{case.pk}/").status_code == 200}

    assert listed <= opened
    assert opened == {scene[name].pk for name in READS[persona]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_rules_and_their_querysets_agree(request, scene, persona):
    from cases import selectors

    user = request.getfixturevalue(persona)
    readable = set(selectors.readable_by(user).values_list("pk", flat=True))
    listed = set(selectors.visible_to(user).values_list("pk", flat=True))

    for case in Case.objects.all():
        assert user.has_perm("cases.see_case", case) == (case.pk in readable), case
        assert user.has_perm("cases.work_case", case) == (case.pk in listed), case



@pytest.mark.parametrize("persona", PERSONAS)
def test_the_visible_cases_parts_do_not_overlap_and_add_up_to_them(request, scene, persona):
    from cases import selectors

    user = request.getfixturevalue(persona)
    parts = {name: set(cases.values_list("pk", flat=True))
             for name, cases in selectors.visible_parts(user).items()}

    assert set().union(*parts.values()) == set(selectors.visible_to(user).values_list("pk", flat=True))
    assert sum(len(ids) for ids in parts.values()) == len(set().union(*parts.values()))
    assert parts["mine"] == set(Case.objects.filter(assignee=user).values_list("pk", flat=True)) & (
        set().union(*parts.values()))


# --- working a case ---------------------------------------------------------------------------------

WORK = table({
    #               agent teammate supervisor outsider admin
    "agents":      "200   403      200        404      200",
    "unassigned":  "200   200      200        404      200",
    "teammates":   "403   200      200        404      200",
    "other_shops": "404   404      404        200      200",
})


@pytest.mark.parametrize(("persona", "case_name", "status"), WORK)
def test_who_works_which_case(request, api, scene, persona, case_name, status):
    user = request.getfixturevalue(persona)
    case = scene[case_name]
    before = state_of(case)

    response = api(user).post(f"{CASES}{case.pk}/transitions/calm/", STEP_DATA["calm"],
                              format="json")

    assert response.status_code == status
    if status == 200:
        assert Case.objects.get(pk=case.pk).state == State.CALMED
    else:
        assert response.json() == {"detail": f"There is no case {case.pk}." if status == 404
                                   else "You may not work on this case."}
        assert state_of(case) == before


@pytest.mark.parametrize(("persona", "case_name", "status"), table({
    #               agent teammate supervisor outsider admin
    "agents":      "201   403      201        404      201",
    "unassigned":  "201   201      201        404      201",
    "teammates":   "403   201      201        404      201",
    "other_shops": "404   404      404        201      201",
}))
def test_who_logs_contacts_on_which_case(request, api, scene, persona, case_name, status):
    user = request.getfixturevalue(persona)
    case = scene[case_name]
    before = state_of(case)

    response = api(user).post(f"{CASES}{case.pk}/contacts/", {
        "channel": "chat", "direction": "outbound", "body": "您好，我们在处理。"}, format="json")

    assert response.status_code == status
    if status in (403, 404):
        assert state_of(case) == before
    else:
        assert Contact.objects.filter(case=case, by=user).count() == 1


@pytest.mark.parametrize(("persona", "case_name", "status"), table({
    #               agent teammate supervisor outsider admin
    "agents":      "403   403      200        404      200",
    "unassigned":  "403   403      200        404      200",
    "teammates":   "403   403      200        404      200",
    "other_shops": "404   404      404        403      200",
}))
def test_only_supervisors_of_the_shop_and_admins_hand_cases_over(
    request, api, scene, persona, case_name, status
):
    user = request.getfixturevalue(persona)
    case = scene[case_name]
    to = "outsider" if case_name == "other_shops" else "agent3"
    before = state_of(case)

    response = api(user).post(f"{CASES}{case.pk}/transitions/hand_over/",
                              {"to": to, "reason": "A fresh voice for this buyer."}, format="json")

    assert response.status_code == status, response.json()
    if status == 200:
        assert Case.objects.get(pk=case.pk).assignee.username == to
    else:
        assert state_of(case) == before
    if status == 403:  # not theirs to work, or not a supervisor's step
        assert response.json()["detail"] in ("Only a supervisor of the shop may do this: Hand over.",
                                             "You may not work on this case.")


@pytest.mark.parametrize(("persona", "case_name", "status"), table({
    #               agent teammate supervisor outsider admin
    "agents":      "200   409      409        404      409",
    "unassigned":  "200   200      200        404      200",
    "teammates":   "409   200      409        404      409",
    "other_shops": "404   404      404        200      200",
}))
def test_who_claims_which_case(request, api, scene, persona, case_name, status):
    user = request.getfixturevalue(persona)
    case = scene[case_name]
    holder = Case.objects.get(pk=case.pk).assignee
    before = state_of(case)

    response = api(user).post(f"{CASES}{case.pk}/claim/")

    assert response.status_code == status, response.json()
    if status == 200:
        assert Case.objects.get(pk=case.pk).assignee == user
    else:
        assert state_of(case) == before
    if status == 409:
        assert response.json()["assignee"] == holder.username
    if status == 404:
        assert response.json() == {"detail": f"There is no case {case.pk}."}


# --- the rules in their own words -------------------------------------------------------------------


def test_working_an_unassigned_case_claims_it_for_the_agent(shop, agent):
    case = open_case(shop, by=agent)

    case = step(case, "acknowledge", agent)

    case.refresh_from_db()
    assert case.assignee == agent
    claimed = case.timeline.get(type="case_claimed")
    assert (claimed.actor, claimed.data) == (agent, {"assignee": "agent1"})


def test_a_supervisor_working_an_unassigned_case_leaves_it_unassigned(shop, agent, supervisor):
    case = open_case(shop, by=agent)

    step(case, "acknowledge", supervisor)

    assert Case.objects.get(pk=case.pk).assignee is None
    assert not case.timeline.filter(type="case_claimed").exists()


def test_once_a_teammate_claimed_it_the_agent_reads_but_no_longer_lists_or_works_the_case(
        api, shop, agent, teammate):
    case = open_case(shop, by=agent)
    assert api(agent).get(f"{CASES}{case.pk}/").json()["available_transitions"]

    step(case, "acknowledge", teammate)

    seen = api(agent).get(f"{CASES}{case.pk}/")
    assert seen.status_code == 200 and seen.json()["available_transitions"] == []
    assert case.pk not in {r["id"] for r in api(agent).get(CASES).json()["results"]}


def test_after_a_hand_over_the_previous_agent_only_reads_the_case(
    api, shop, agent, teammate, supervisor
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")

    step(case, "hand_over", supervisor, to=teammate.username, reason="Deadlocked.")

    assert api(agent).get(f"{CASES}{case.pk}/").json()["available_transitions"] == []
    assert case.pk not in {r["id"] for r in api(agent).get(CASES).json()["results"]}
    assert api(teammate).get(f"{CASES}{case.pk}/").json()["assignee"] == "agent2"


def test_a_supervisor_of_another_shop_neither_sees_nor_hands_over_the_case(
    api, shop, other_shop, agent, teammate
):
    foreign = UserFactory(username="boss-elsewhere", role="supervisor", shops=[other_shop],
                          is_staff=True)
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    before = state_of(case)

    seen = api(foreign).get(f"{CASES}{case.pk}/")
    handed = api(foreign).post(f"{CASES}{case.pk}/transitions/hand_over/",
                               {"to": teammate.username, "reason": "x"}, format="json")

    assert (seen.status_code, handed.status_code) == (404, 404)
    assert api(foreign).get(CASES).json()["count"] == 0
    assert state_of(case) == before


@pytest.mark.parametrize("name", ["acknowledge", "calm", "listen", "propose", "accept", "reject",
                                  "escalate", "hand_over", "close", "withdraw", "reopen"])
def test_an_outsider_gets_404_for_every_transition_of_the_demo_shop(
    api, shop, agent, outsider, name
):
    mine = walk(open_case(shop, by=agent), agent, "acknowledge")
    unassigned = open_case(shop, by=agent)

    for case in (mine, unassigned):
        before = state_of(case)
        response = api(outsider).post(f"{CASES}{case.pk}/transitions/{name}/",
                                      STEP_DATA.get(name, {}), format="json")
        assert response.status_code == 404
        assert response.json() == {"detail": f"There is no case {case.pk}."}
        assert state_of(case) == before


def test_an_outsider_cannot_open_a_case_in_the_demo_shop_even_one_already_open(
    api, shop, agent, outsider
):
    payload = case_payload(shop, external_id="KNOWN-1")
    api(agent).post(CASES, payload, format="json")

    response = api(outsider).post(CASES, payload, format="json")

    assert response.status_code == 403
    assert "id" not in response.json()
    assert Case.objects.count() == 1


def test_a_teammate_sending_a_known_marketplace_case_is_told_it_is_with_another_agent(
    api, shop, agent, teammate
):
    payload = case_payload(shop, external_id="KNOWN-2")
    case = walk(open_case(shop, by=agent, external_id="KNOWN-2"), agent, "acknowledge")

    response = api(teammate).post(CASES, payload, format="json")

    assert response.status_code == 409
    assert response.json()["state"] == "acknowledged"
    assert Case.objects.count() == 1 and Case.objects.get().pk == case.pk


def test_the_phone_of_the_buyer_is_never_shown_whole_to_an_agent_who_is_not_the_assignee(
    api, scene, agent
):
    body = api(agent).get(f"{CASES}{scene['unassigned'].pk}/").json()

    assert body["customer"]["phone"] == "138****8000"
