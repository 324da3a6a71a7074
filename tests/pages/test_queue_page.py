"""The queue page for a working day: previews, sorts, the shop as a choice, where each role lands,
and a supervisor's bulk action on the rows they selected."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services
from cases.models import Case, State
from tests.factories import UserFactory, open_case, walk


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<a href="/cases/(\d+)/" class="open">', page)]


def say(case: Case, agent: User, body: str) -> None:
    services.log_contact(case_id=case.pk, by=agent, data={
        "channel": "chat", "direction": "inbound", "body": body})


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_each_row_previews_the_buyers_last_message_or_else_the_core_problem(db, shop, agent):
    talked = open_case(shop, by=agent)
    say(talked, agent, "Where is my refund?")
    say(talked, agent, "I have waited   three days\nalready.")
    services.log_contact(case_id=talked.pk, by=agent, data={
        "channel": "chat", "direction": "outbound", "body": "We are on it."})
    heard = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")

    page = browser(agent).get("/?tab=all").content.decode()

    assert 'title="I have waited three days already."' in page  # the last one, on one line
    assert "Where is my refund?" not in page and "We are on it." not in page
    assert f'title="{heard.core_problem}"' in page


def test_a_long_message_is_cut_to_one_short_line(db, shop, agent):
    case = open_case(shop, by=agent)
    say(case, agent, "退款" * 200)

    page = browser(agent).get("/?tab=all").content.decode()

    assert "退款" * 69 + "退…" in page and "退款" * 71 not in page


@pytest.mark.parametrize("persona", ["agent", "supervisor"])
def test_the_previews_cost_no_query_per_row_the_same_for_5_rows_as_for_50(
    request, shop, agent, persona
):
    user = request.getfixturevalue(persona)
    for _ in range(5):
        say(open_case(shop, by=agent), agent, "Hello?")
    client = browser(user)
    with_5 = queries_for(client, "/?tab=all")

    for _ in range(45):
        say(open_case(shop, by=agent), agent, "Hello?")
    with_50 = queries_for(client, "/?tab=all")

    assert with_5 == with_50
    # session, user, groups and shops, the shops' names for the choice, the counts per state, the
    # page (previews included), the shops' warning leads, the counts per tab (the user's own
    # cases, nobody's and, for a supervisor, someone else's: one index each), the unread
    # notifications (and, for a supervisor, the agents of the bulk bar)
    assert with_50 == (10 if persona == "agent" else 12)
    assert client.get("/?tab=all").content.decode().count('title="Hello?"') == 50


@pytest.fixture
def three(shop, agent):
    """Three open cases of different amounts, ages and deadlines."""
    now = timezone.now()
    cases = [open_case(shop, by=agent) for _ in range(3)]
    for case, amount, age, due in zip(cases, ["50.00", None, "300.00"], [2, 9, 5], [30, 10, 20],
                                      strict=True):
        Case.objects.filter(pk=case.pk).update(
            claimed_amount=amount, opened_at=now - timedelta(days=age),
            next_due_at=now + timedelta(hours=due))
    return cases


@pytest.mark.parametrize(("sort", "order"), [
    ("due", [1, 2, 0]), ("-due", [0, 2, 1]),
    ("opened", [1, 2, 0]), ("-opened", [0, 2, 1]),
    ("amount", [1, 0, 2]), ("-amount", [2, 0, 1]),
])
def test_each_sort_orders_the_rows_either_way(db, agent, three, sort, order):
    page = browser(agent).get("/", {"tab": "all", "sort": sort}).content.decode()

    assert row_ids(page) == [three[i].pk for i in order]


def test_an_unknown_sort_is_ignored_and_the_most_urgent_come_first(db, agent, three):
    response = browser(agent).get("/", {"tab": "all", "sort": "buyer_name; drop table"})

    assert response.status_code == 200
    assert row_ids(response.content.decode()) == [three[i].pk for i in [1, 2, 0]]


def test_a_column_header_sorts_by_it_and_then_the_other_way(db, agent, three):
    client = browser(agent)

    first = client.get("/", {"tab": "all", "kind": "refund"}).content.decode()
    by_amount = client.get("/", {"tab": "all", "kind": "refund", "sort": "-amount"}).content.decode()

    assert 'href="?tab=all&amp;kind=refund&amp;sort=-amount"' in first  # largest first, filter kept
    assert 'aria-sort="descending"><a href="?tab=all&amp;kind=refund&amp;sort=amount"' in by_amount


def test_the_shop_choice_lists_only_the_users_shops_by_name(db, shop, other_shop, agent):
    page = browser(agent).get("/").content.decode()

    assert '<option value="demo" translate="no">Demo shop</option>' in page
    assert "Another shop" not in page and 'name="shop" maxlength' not in page


def test_a_shop_that_is_not_the_users_is_refused_with_the_reason(db, shop, other_shop, agent):
    response = browser(agent).get("/", {"shop": "elsewhere"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_choosing_a_shop_shows_only_its_cases(db, shop, other_shop, agent, admin):
    mine, elsewhere = open_case(shop, by=admin), open_case(other_shop, by=admin)

    page = browser(admin).get("/", {"tab": "all", "shop": "demo"}).content.decode()

    assert row_ids(page) == [mine.pk] and elsewhere.pk not in row_ids(page)


def test_a_supervisor_lands_on_the_escalated_cases_when_there_are_any(db, shop, agent, supervisor):
    calm = open_case(shop, by=agent)
    hot = walk(open_case(shop, by=agent), agent, "escalate")

    page = browser(supervisor).get("/").content.decode()

    assert 'href="?tab=escalated' in page and 'aria-current="page" class="current">Escalated' in page
    assert row_ids(page) == [hot.pk] and calm.pk not in row_ids(page)


def test_a_supervisor_without_escalations_lands_on_all_and_a_chosen_tab_is_kept(
    db, shop, agent, supervisor
):
    case = open_case(shop, by=agent)
    client = browser(supervisor)

    landing = client.get("/").content.decode()
    chosen = client.get("/", {"tab": "mine", "sort": "amount"}).content.decode()

    assert 'aria-current="page" class="current">All I may see' in landing
    assert row_ids(landing) == [case.pk]
    assert 'aria-current="page" class="current">Mine' in chosen
    assert 'name="tab" value="mine"' in chosen


def test_an_agent_lands_on_their_own_cases_and_has_no_escalated_tab(db, shop, agent):
    walk(open_case(shop, by=agent), agent, "escalate")

    page = browser(agent).get("/").content.decode()

    assert 'aria-current="page" class="current">Mine' in page
    assert "tab=escalated" not in page and 'name="ids"' not in page


def test_a_bulk_assign_from_the_page_assigns_the_rest_and_says_which_was_refused_and_why(
    db, shop, agent, teammate, supervisor
):
    # given three unassigned cases, one of them closed
    cases = [open_case(shop, by=None) for _ in range(3)]
    Case.objects.filter(pk=cases[1].pk).update(state=State.CLOSED)
    client = browser(supervisor)

    # when the supervisor selects them on the second tab and assigns them to agent2
    response = client.post("/bulk/", {
        "action": "assign", "to": "agent2", "ids": [c.pk for c in cases],
        "back": "tab=unassigned&kind=refund&sort=-amount"})

    # then back to the same tab and filters, saying what was done and what was refused and why
    assert response.status_code == 302
    assert response["Location"] == "/?tab=unassigned&kind=refund&sort=-amount"
    page = client.get(response["Location"]).content.decode()
    assert (f"2 done, 1 refused: #{cases[1].pk} — A closed case cannot be assigned; reopen it "
            "first.") in page
    assert [Case.objects.get(pk=c.pk).assignee for c in cases] == [teammate, None, teammate]


def test_the_bulk_summary_is_in_the_readers_language(db, shop, agent, supervisor, other_shop,
                                                     admin):
    elsewhere = open_case(other_shop, by=admin)
    client = browser(supervisor)

    client.post("/bulk/", {"action": "claim", "ids": [elsewhere.pk]},
                headers={"accept-language": "zh-hans"})
    page = client.get("/", headers={"accept-language": "zh-hans"}).content.decode()

    assert f"0 个已完成，1 个被拒绝: #{elsewhere.pk} — " in page
    assert Case.objects.get(pk=elsewhere.pk).assignee is None


def test_a_bulk_action_that_cannot_succeed_is_answered_400_with_the_reason_and_changes_nothing(
    db, shop, supervisor
):
    case = open_case(shop, by=None)

    response = browser(supervisor).post("/bulk/", {"action": "escalate", "ids": [case.pk],
                                                   "back": "tab=unassigned"})

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.NEW


def test_an_agents_bulk_post_is_403_and_changes_nothing(db, shop, agent, teammate):
    case = open_case(shop, by=None)

    response = browser(agent).post("/bulk/", {"action": "assign", "to": "agent2",
                                              "ids": [case.pk]})

    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).assignee is None


def test_a_supervisor_sees_a_box_per_row_and_the_bar_with_the_shops_agents(
    db, shop, other_shop, agent, supervisor
):
    UserFactory(username="faraway", role="agent", shops=[other_shop])
    case = open_case(shop, by=None)

    page = browser(supervisor).get("/?tab=all").content.decode()

    assert f'name="ids" value="{case.pk}" form="bulk"' in page
    assert '<option value="agent1" translate="no">agent1</option>' in page
    assert "faraway" not in page
