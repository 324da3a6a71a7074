"""Bad case ids, transition names, transition data and hand-over targets: 4xx with the reason,
nothing written."""

from __future__ import annotations

import pytest

from tests.cases.bad_requests import CASES, raw
from tests.factories import STEP_DATA, UserFactory, open_case, walk

# --- case ids and transition names in the URL ------------------------------------------------------

@pytest.mark.parametrize("case_id", ["abc", "-1", "1.5", "0x10", "9" * 19, "9" * 40, "%00"])
def test_a_case_id_that_is_not_a_small_number_is_not_found(api, shop, agent, before, case_id):
    open_case(shop, by=agent)
    unchanged = before()

    responses = [
        api(agent).get(f"{CASES}{case_id}/"),
        api(agent).post(f"{CASES}{case_id}/transitions/acknowledge/", STEP_DATA["acknowledge"],
                        format="json"),
        api(agent).post(f"{CASES}{case_id}/claim/"),
        api(agent).post(f"{CASES}{case_id}/contacts/", {"channel": "chat", "body": "hi"},
                        format="json"),
    ]

    assert [r.status_code for r in responses] == [404] * 4
    assert unchanged()


@pytest.mark.parametrize("case_id", ["999999999999999999", "0", "000123"])
def test_a_case_id_that_is_a_number_but_no_case_is_not_found_with_a_reason(
    api, shop, agent, before, case_id
):
    open_case(shop, by=agent)
    unchanged = before()

    detail = api(agent).get(f"{CASES}{case_id}/")
    transition = api(agent).post(f"{CASES}{case_id}/transitions/acknowledge/",
                                 STEP_DATA["acknowledge"], format="json")
    claim = api(agent).post(f"{CASES}{case_id}/claim/")

    assert (detail.status_code, transition.status_code, claim.status_code) == (404, 404, 404)
    assert detail.json() == {"detail": f"There is no case {int(case_id)}."}  # one loader, one reason
    assert transition.json() == {"detail": f"There is no case {int(case_id)}."}
    assert claim.json() == {"detail": f"There is no case {int(case_id)}."}
    assert unchanged()


@pytest.mark.parametrize("name", ["refund_everything", "save", "delete", "get_all_state_transitions",
                                  "start_new_cycle", "state", "__init__"])
def test_a_transition_name_the_workflow_does_not_have_is_not_found(api, shop, agent, before, name):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    unchanged = before()

    response = api(agent).post(f"{CASES}{case.pk}/transitions/{name}/", {}, format="json")

    assert response.status_code == 404
    assert unchanged()


@pytest.mark.parametrize("name", ["Calm", "hand-over", "calm!", "c%20alm"])
def test_a_transition_name_outside_the_url_pattern_is_not_found(api, shop, agent, before, name):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    unchanged = before()

    response = api(agent).post(f"{CASES}{case.pk}/transitions/{name}/", {}, format="json")

    assert response.status_code == 404
    assert unchanged()


# --- a transition's data -------------------------------------------------------------------------------

def test_malformed_json_for_a_transition_is_answered_400(api, shop, agent, before):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    unchanged = before()

    response = raw(api(agent), f"{CASES}{case.pk}/transitions/calm/", '{"note": "sorry"')

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert unchanged()


def test_a_list_sent_to_a_transition_is_answered_400(api, shop, agent, before):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    unchanged = before()

    response = raw(api(agent), f"{CASES}{case.pk}/transitions/calm/", '[{"note": "sorry"}]')

    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Send a JSON object."]}
    assert unchanged()


def test_an_unassigned_case_is_not_claimed_by_a_transition_with_bad_data(api, shop, agent, before):
    case = open_case(shop, by=agent)
    unchanged = before()

    response = api(agent).post(f"{CASES}{case.pk}/transitions/acknowledge/", {"message": ""},
                               format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"message": ["This field may not be blank."]}
    assert unchanged()


@pytest.mark.parametrize(("name", "data", "field"), [
    ("calm", {}, "note"),
    ("calm", {"note": ""}, "note"),
    ("calm", {"note": "   "}, "note"),
    ("calm", {"note": None}, "note"),
    ("calm", {"note": "x" * 4001}, "note"),
    ("escalate", {"reason": "\n\t "}, "reason"),
    ("withdraw", {}, "reason"),
])
def test_blank_or_missing_text_is_answered_400(api, shop, agent, before, name, data, field):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    unchanged = before()

    response = api(agent).post(f"{CASES}{case.pk}/transitions/{name}/", data, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert unchanged()


@pytest.mark.parametrize("amount", ["abc", "", "1e309", "-1e309", "NaN", "Infinity", 10**20,
                                    "12.345", "0.001", "-0.01", True, [], {"value": 1}])
def test_a_proposed_amount_that_is_not_money_is_answered_400(api, shop, agent, before, amount):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")
    unchanged = before()

    response = api(agent).post(f"{CASES}{case.pk}/transitions/propose/",
                               {"remedy": "partial_refund", "amount": amount}, format="json")

    assert response.status_code == 400, response.json()
    assert list(response.json()["errors"]) == ["amount"]
    assert unchanged()


def test_a_proposed_amount_too_big_for_json_numbers_is_answered_400(api, shop, agent, before):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")
    unchanged = before()

    response = raw(api(agent), f"{CASES}{case.pk}/transitions/propose/",
                   '{"remedy": "partial_refund", "amount": 1e309}')

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["amount"]
    assert unchanged()


@pytest.mark.parametrize("remedy", ["", "refund_twice", None, 3])
def test_an_unknown_remedy_is_answered_400(api, shop, agent, before, remedy):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")
    unchanged = before()

    response = api(agent).post(f"{CASES}{case.pk}/transitions/propose/", {"remedy": remedy},
                               format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["remedy"]
    assert unchanged()


# --- hand-over to whom ------------------------------------------------------------------------------

@pytest.mark.parametrize(("to", "reason"), [
    ("nobody", "nobody is not an agent of this shop."),
    ("outsider", "outsider is not an agent of this shop."),
    ("intern", "intern is not an agent of this shop."),
    ("admin", "admin is not an agent of this shop."),
    ("", "This field may not be blank."),
    ("agent1", "The case is already with agent1; hand it to another agent."),
])
def test_a_case_is_handed_only_to_another_agent_of_its_shop(
    api, shop, agent, supervisor, outsider, admin, before, to, reason
):
    UserFactory(username="intern", shops=[shop])  # on the staff list, with no role
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    unchanged = before()

    response = api(supervisor).post(f"{CASES}{case.pk}/transitions/hand_over/",
                                    {"to": to, "reason": "Deadlocked."}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"to": [reason]}
    assert unchanged()


def test_a_case_is_not_handed_to_an_agent_who_left(api, shop, agent, supervisor, before):
    UserFactory(username="gone", role="agent", shops=[shop], is_active=False)
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    unchanged = before()

    response = api(supervisor).post(f"{CASES}{case.pk}/transitions/hand_over/",
                                    {"to": "gone", "reason": "Deadlocked."}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"to": ["gone is not an agent of this shop."]}
    assert unchanged()
