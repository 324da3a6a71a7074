"""Bulk actions: a supervisor acts on many cases at once, each through the single action's service."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.models import Case, State
from tests.cases.cases_api import CASES
from tests.factories import UserFactory, open_case, walk

BULK = f"{CASES}bulk/"


def bulk(api: Any, user: Any, **body: Any) -> Any:
    return api(user).post(BULK, body, format="json")


@pytest.fixture
def cases(shop, agent):
    """Three unassigned new cases of the shop."""
    return [open_case(shop, by=None) for _ in range(3)]


def test_a_bulk_assign_assigns_every_case_but_the_refused_ones_and_says_why(
    api, supervisor, teammate, cases, other_shop, admin
):
    # given three unassigned cases, a closed one and one of another shop
    closed = open_case(cases[0].shop, by=None)
    Case.objects.filter(pk=closed.pk).update(state=State.CLOSED)
    elsewhere = open_case(other_shop, by=admin)
    ids = [cases[0].pk, closed.pk, cases[1].pk, elsewhere.pk, cases[2].pk]

    # when the supervisor assigns them all to agent2
    response = bulk(api, supervisor, action="assign", ids=ids, to="agent2")

    # then the open ones are agent2's, each with its timeline event, and the rest refused
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == [
        {"id": cases[0].pk, "status": "done"},
        {"id": closed.pk, "status": "refused", "code": "conflict",
         "reason": "A closed case cannot be assigned; reopen it first."},
        {"id": cases[1].pk, "status": "done"},
        {"id": elsewhere.pk, "status": "refused", "code": "not_found",
         "reason": f"There is no case {elsewhere.pk}."},
        {"id": cases[2].pk, "status": "done"},
    ]
    for case in cases:
        assert Case.objects.get(pk=case.pk).assignee == teammate
        event = case.timeline.get(type="case_assigned")
        assert event.actor == supervisor and event.data == {"assignee": "agent2"}
    assert Case.objects.get(pk=closed.pk).assignee is None
    assert Case.objects.get(pk=elsewhere.pk).assignee is None


def test_assigning_a_case_someone_has_is_refused_as_it_is_a_hand_over(
    api, supervisor, agent, teammate, cases
):
    walk(cases[0], agent, "acknowledge")  # the agent took it by acting on it

    response = bulk(api, supervisor, action="assign", ids=[cases[0].pk], to="agent2")

    assert response.json()["results"] == [{
        "id": cases[0].pk, "status": "refused", "code": "conflict",
        "reason": "agent1 already has this case; hand it over instead."}]
    assert Case.objects.get(pk=cases[0].pk).assignee == agent


def test_a_bulk_hand_over_runs_the_hand_over_step_on_each_case(
    api, supervisor, agent, teammate, cases
):
    # given two cases the agent works and one that is still new (no hand-over from new)
    for case in cases[:2]:
        walk(case, agent, "acknowledge", "calm")

    response = bulk(api, supervisor, action="hand_over", ids=[c.pk for c in cases], to="agent2",
                    reason="The buyer asked for someone else.")

    results = response.json()["results"]
    assert [r["status"] for r in results] == ["done", "done", "refused"]
    assert results[2]["code"] == "conflict"
    assert results[2]["reason"] == "“Hand over” is not possible while the case is “New”."
    for case in cases[:2]:
        case = Case.objects.get(pk=case.pk)
        assert case.assignee == teammate and case.state == State.ACKNOWLEDGED
        assert case.calmed_at is None  # the new agent calms and listens again
        assert case.timeline.get(type="hand_over").data["reason"] == "The buyer asked for someone else."


def test_a_hand_over_to_someone_who_is_not_an_agent_of_that_cases_shop_is_refused_for_that_case(
    api, shop, other_shop, agent, admin
):
    # given a supervisor of two shops, and an agent of only one of them
    boss = UserFactory(username="boss", role="supervisor", shops=[shop, other_shop])
    here = walk(open_case(shop, by=None), agent, "acknowledge")
    there = walk(open_case(other_shop, by=None), admin, "acknowledge")

    response = bulk(api, boss, action="hand_over", ids=[here.pk, there.pk], to="agent1",
                    reason="Fresh start.")

    results = response.json()["results"]
    assert results[0]["status"] == "refused"  # agent1 has it already
    assert results[1] == {"id": there.pk, "status": "refused", "code": "invalid",
                          "reason": "The data sent is not valid. agent1 is not an agent of this shop."}


def test_a_bulk_escalate_escalates_each_case_with_the_reason(api, supervisor, cases):
    response = bulk(api, supervisor, action="escalate", ids=[c.pk for c in cases],
                    reason="The buyer threatens a platform complaint.")

    assert {r["status"] for r in response.json()["results"]} == {"done"}
    for case in cases:
        assert Case.objects.get(pk=case.pk).state == State.ESCALATED
        assert case.timeline.get(type="escalate").actor == supervisor


def test_a_bulk_claim_makes_the_cases_the_supervisors_own(api, supervisor, teammate, cases):
    bulk(api, supervisor, action="assign", ids=[cases[0].pk], to="agent2")

    response = bulk(api, supervisor, action="claim", ids=[c.pk for c in cases])

    assert [r["status"] for r in response.json()["results"]] == ["refused", "done", "done"]
    assert response.json()["results"][0]["reason"] == "agent2 already has this case."
    assert Case.objects.get(pk=cases[1].pk).assignee == supervisor


def test_the_same_id_twice_is_acted_on_once(api, supervisor, cases):
    response = bulk(api, supervisor, action="claim", ids=[cases[0].pk, cases[0].pk])

    assert response.json()["results"] == [{"id": cases[0].pk, "status": "done"}]
    assert cases[0].timeline.filter(type="case_claimed").count() == 1


def test_an_unknown_id_is_refused_as_not_found(api, supervisor, cases):
    response = bulk(api, supervisor, action="claim", ids=[999999, cases[0].pk])

    assert response.json()["results"][0] == {
        "id": 999999, "status": "refused", "code": "not_found", "reason": "There is no case 999999."}
    assert response.json()["results"][1]["status"] == "done"


def test_an_agent_gets_403_and_nothing_changes(api, agent, cases, before):
    unchanged = before()

    response = bulk(api, agent, action="claim", ids=[c.pk for c in cases])

    assert response.status_code == 403
    assert response.json() == {"detail": "Only supervisors may act on many cases at once."}
    assert unchanged()


def test_anonymous_bulk_is_refused(api, cases):
    assert bulk(api, None, action="claim", ids=[cases[0].pk]).status_code == 401


@pytest.mark.parametrize(("body", "field", "reason"), [
    ({"action": "close"}, "action", '"close" is not a valid choice.'),
    ({"action": "claim", "ids": "1,2"}, "ids", "Send the case ids as a list, e.g. [12, 15]."),
    ({"action": "claim", "ids": []}, "ids", "Send at least one case id."),
    ({"action": "claim", "ids": list(range(1, 102))}, "ids", "Send at most 100 ids at once."),
    ({"action": "assign"}, "to", "Say who takes the cases (a username)."),
    ({"action": "assign", "to": "ghost"}, "to", "ghost is not an agent of your shops."),
    ({"action": "assign", "to": "outsider"}, "to", "outsider is not an agent of your shops."),
    ({"action": "hand_over", "to": "agent2"}, "reason", "Say why."),
    ({"action": "escalate", "reason": "  "}, "reason", "Say why."),
])
def test_a_request_that_cannot_succeed_is_a_400_with_the_reason_and_changes_nothing(
    api, supervisor, teammate, outsider, cases, before, body, field, reason
):
    body = {"ids": [c.pk for c in cases], **body}
    unchanged = before()

    response = bulk(api, supervisor, **body)

    assert response.status_code == 400, response.json()
    assert response.json()["errors"][field] == [reason]
    assert unchanged()


def test_a_body_that_is_not_an_object_is_a_400(api, supervisor):
    response = api(supervisor).post(BULK, [1, 2], format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["Send a JSON object."]}


def test_the_reasons_come_in_the_supervisors_language(api, supervisor, teammate, cases):
    Case.objects.filter(pk=cases[0].pk).update(state=State.CLOSED)

    response = api(supervisor).post(BULK, {"action": "assign", "ids": [cases[0].pk], "to": "agent2"},
                                    format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.json()["results"][0]["reason"] == "已关闭的案件不能分配，请先重新打开。"


def queries_for(api: Any, user: Any, ids: list[int]) -> int:
    client = api(type(user).objects.get(pk=user.pk))  # as each request loads its user
    with CaptureQueriesContext(connection) as queries:
        response = client.post(BULK, {"action": "assign", "ids": ids, "to": "agent2"}, format="json")
    assert {r["status"] for r in response.json()["results"]} == {"done"}
    return len(queries)


def test_each_case_costs_the_same_few_queries_however_many_are_sent(api, shop, supervisor, teammate):
    # given 2 and then 7 cases to assign
    few = [open_case(shop, by=None).pk for _ in range(2)]
    many = [open_case(shop, by=None).pk for _ in range(7)]

    # then five more cases cost five times one case's queries: no query grows with the batch
    per_case = (queries_for(api, supervisor, many) - queries_for(api, supervisor, few)) / 5
    assert per_case == PER_CASE_QUERIES


# One assign: its own transaction (here a savepoint, as the test runs in a transaction), the
# locked read, the agent's lookup, the UPDATE, the event's INSERT, the commit.
PER_CASE_QUERIES = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_claiming_the_same_cases_at_once_each_case_goes_to_one_of_them(shop):
    # given ten unassigned cases and two supervisors who select them all
    bosses = [UserFactory(username=f"boss{i}", role="supervisor", shops=[shop]) for i in range(2)]
    ids = [open_case(shop, by=None).pk for _ in range(10)]
    barrier = threading.Barrier(2)
    results: dict[str, Any] = {}

    def press(boss: Any) -> None:
        try:
            barrier.wait(timeout=10)
            results[boss.username] = services.run_bulk(by=boss, action="claim", ids=ids)
        except Exception as error:  # reported by the test
            results[boss.username] = error
        finally:
            connection.close()

    # when both claim them in bulk at the same moment, each on its own connection
    threads = [threading.Thread(target=press, args=(b,)) for b in bosses]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    # then each case was done for exactly one of them, refused for the other, and claimed once
    done = {name: {r.id for r in rs if r.status == "done"} for name, rs in results.items()}
    assert done["boss0"] | done["boss1"] == set(ids) and not done["boss0"] & done["boss1"]
    for name, claimed in done.items():
        for pk in claimed:
            case = Case.objects.get(pk=pk)
            assert case.assignee.username == name
            assert case.timeline.filter(type="case_claimed").count() == 1
