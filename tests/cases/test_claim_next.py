"""Claim next: the most urgent unassigned case of the agent's shops becomes theirs, once."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from cases import services
from cases.models import Case, State
from config.service_errors import NotFound
from tests.cases.cases_api import CASES
from tests.factories import UserFactory, open_case

CLAIM_NEXT = f"{CASES}claim-next/"


def unassigned(shop: Any, n: int) -> list[Case]:
    """n unassigned new cases, none with a deadline (each test sets what it orders by)."""
    cases = [open_case(shop, by=None) for _ in range(n)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        next_due_at=None, marketplace_due_at=None, first_response_due_at=None)
    return cases


def test_claim_next_gives_the_escalated_case_first_then_the_marketplaces_clock_then_the_nearest_deadline(
    db, shop, agent
):
    # given, opened in this order: an old case, one due in an hour, one due in a day, one on the
    # marketplace's clock in two days, and an escalated one with no deadline
    now = timezone.now()
    old, hour, day, marketplace, escalated = unassigned(shop, 5)
    Case.objects.filter(pk=hour.pk).update(next_due_at=now + timedelta(hours=1))
    Case.objects.filter(pk=day.pk).update(next_due_at=now + timedelta(days=1))
    Case.objects.filter(pk=marketplace.pk).update(marketplace_due_at=now + timedelta(days=2),
                                                  next_due_at=now + timedelta(days=2))
    Case.objects.filter(pk=escalated.pk).update(state=State.ESCALATED)

    # when the agent claims next five times
    claimed = [services.claim_next(by=agent).pk for _ in range(5)]

    # then the escalation came first, then the marketplace's clock, the deadlines, the oldest
    assert claimed == [escalated.pk, marketplace.pk, hour.pk, day.pk, old.pk]


def test_a_marketplace_clock_the_shop_has_answered_no_longer_puts_a_case_first(db, shop, agent):
    now = timezone.now()
    answered, due_soon = unassigned(shop, 2)
    Case.objects.filter(pk=answered.pk).update(marketplace_due_at=now + timedelta(hours=1),
                                               first_responded_at=now)
    Case.objects.filter(pk=due_soon.pk).update(next_due_at=now + timedelta(hours=2))

    assert services.claim_next(by=agent).pk == due_soon.pk


def test_claim_next_is_recorded_as_a_single_claim_is(db, shop, agent):
    case = unassigned(shop, 1)[0]

    claimed = services.claim_next(by=agent)

    assert claimed.pk == case.pk and Case.objects.get(pk=case.pk).assignee == agent
    event = case.timeline.get(type="case_claimed")
    assert event.actor == agent and event.data == {"assignee": "agent1"}


def test_claim_next_passes_over_closed_cases_cases_someone_has_and_other_shops_cases(
    db, shop, other_shop, agent, teammate
):
    closed, theirs, elsewhere = [*unassigned(shop, 2), open_case(other_shop, by=None)]
    Case.objects.filter(pk=closed.pk).update(state=State.CLOSED)
    services.claim_case(case_id=theirs.pk, by=teammate)

    with pytest.raises(NotFound) as refused:
        services.claim_next(by=agent)

    assert str(refused.value.message) == "No unassigned case is left in your shops."
    assert Case.objects.get(pk=elsewhere.pk).assignee is None


def test_the_api_claims_next_and_answers_with_the_case(db, api, shop, agent):
    case = unassigned(shop, 1)[0]

    response = api(agent).post(CLAIM_NEXT)

    assert response.status_code == 200, response.json()
    assert response.json()["id"] == case.pk and response.json()["assignee"] == "agent1"


def test_the_api_answers_404_with_the_reason_when_nothing_is_left_in_chinese_too(
    db, api, agent
):
    english = api(agent).post(CLAIM_NEXT)
    chinese = api(agent).post(CLAIM_NEXT, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert english.status_code == 404
    assert english.json() == {"detail": "No unassigned case is left in your shops."}
    assert chinese.json()["detail"] == "您负责的店铺已没有未分配的案件。"


def test_someone_with_no_shop_gets_nothing_to_claim(db, api, shop, admin):
    unassigned(shop, 1)

    assert api(admin).post(CLAIM_NEXT).status_code == 404


def test_an_anonymous_claim_next_is_refused(db, api):
    assert api(None).post(CLAIM_NEXT).status_code == 401


def test_the_queue_pages_claim_next_opens_the_claimed_case(db, client, shop, agent):
    case = unassigned(shop, 1)[0]
    client.force_login(agent)

    response = client.post("/claim-next/")

    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert Case.objects.get(pk=case.pk).assignee == agent


def test_the_queue_pages_claim_next_with_nothing_left_goes_back_to_the_queue_and_says_so(
    db, client, agent
):
    client.force_login(agent)

    response = client.post("/claim-next/", follow=True)

    assert response.redirect_chain[-1][0] == "/?tab=unassigned"
    assert "No unassigned case is left in your shops." in response.content.decode()


def test_the_queue_page_shows_the_claim_next_button(db, client, agent):
    client.force_login(agent)

    page = client.get("/").content.decode()

    assert 'action="/claim-next/"' in page and "Claim next" in page


# --- at once, on PostgreSQL ------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_agents_pressing_claim_next_at_once_get_different_cases_and_none_twice(shop):
    # given 8 agents and 12 unassigned cases
    agents = [UserFactory(username=f"racer{i}", role="agent", shops=[shop]) for i in range(8)]
    cases = unassigned(shop, 12)
    barrier = threading.Barrier(len(agents))
    claimed: dict[str, Any] = {}

    def press(agent: Any) -> None:
        try:
            barrier.wait(timeout=10)
            claimed[agent.username] = services.claim_next(by=agent).pk
        except Exception as error:  # reported by the test
            claimed[agent.username] = error
        finally:
            connection.close()

    # when each presses claim next at the same moment, on its own connection
    threads = [threading.Thread(target=press, args=(a,)) for a in agents]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    # then each got a case, eight different ones, each assigned to the agent who got it, once
    assert all(isinstance(pk, int) for pk in claimed.values()), claimed
    assert len(set(claimed.values())) == len(agents)
    for username, pk in claimed.items():
        assert Case.objects.get(pk=pk).assignee.username == username
    assert Case.objects.filter(pk__in=[c.pk for c in cases], assignee__isnull=False).count() == 8
    for pk in claimed.values():
        assert Case.objects.get(pk=pk).timeline.filter(type="case_claimed").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_more_agents_than_cases_pressing_at_once_leaves_the_rest_a_404(shop):
    agents = [UserFactory(username=f"racer{i}", role="agent", shops=[shop]) for i in range(6)]
    unassigned(shop, 3)
    barrier = threading.Barrier(len(agents))
    outcomes: list[Any] = []

    def press(agent: Any) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(services.claim_next(by=agent).pk)
        except NotFound as none_left:
            outcomes.append(none_left)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(a,)) for a in agents]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    got = [o for o in outcomes if isinstance(o, int)]
    assert len(got) == 3 == len(set(got)), outcomes
    assert sum(isinstance(o, NotFound) for o in outcomes) == 3
