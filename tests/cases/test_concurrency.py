"""Two agents acting on the same case at once: exactly one succeeds, the other gets a conflict."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from cases import services
from cases.models import Case, State
from config.service_errors import Conflict
from tests.factories import STEP_DATA, open_case, walk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(case_id: int, attempts: list[tuple[str, Any]]) -> list[object]:
    """Run each (transition, user) in its own thread and connection, all released at once."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[object] = [None] * len(attempts)

    def attempt(i: int, name: str, user: Any) -> None:
        try:
            barrier.wait(timeout=10)
            services.run_transition(case_id=case_id, name=name, by=user, data=STEP_DATA[name])
            outcomes[i] = "ok"
        except Conflict as conflict:
            outcomes[i] = conflict
        except Exception as error:  # reported by the test
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i, n, u)) for i, (n, u) in enumerate(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_two_agents_calming_the_same_case_at_once_one_wins_and_one_gets_a_conflict(
    shop, agent, supervisor
):
    for _ in range(5):
        # given an acknowledged case that both the agent and the supervisor may work
        case = walk(open_case(shop, by=agent), agent, "acknowledge")

        # when both calm it at the same moment
        outcomes = race(case.pk, [("calm", agent), ("calm", supervisor)])

        # then exactly one succeeded, the other was told the case is calmed now
        assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
        conflict = next(o for o in outcomes if o != "ok")
        assert isinstance(conflict, Conflict) and conflict.state == State.CALMED
        assert case.timeline.filter(type="calm").count() == 1
        assert Case.objects.get(pk=case.pk).state == State.CALMED


def test_two_workers_claiming_the_same_case_leave_one_assignee(shop, agent, teammate):
    case = open_case(shop, by=None)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def claim(user: Any) -> None:
        try:
            barrier.wait(timeout=10)
            services.claim_case(case_id=case.pk, by=user)
            results[user.username] = "ok"
        except Conflict as conflict:
            results[user.username] = conflict
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(u,)) for u in (agent, teammate)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(r == "ok" for r in results.values()) == [False, True], results
    case.refresh_from_db()
    winner = next(name for name, r in results.items() if r == "ok")
    assert case.assignee.username == winner
    assert case.timeline.filter(type="case_claimed").count() == 1
