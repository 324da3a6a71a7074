"""What an open page learns without a reload (/live/): the bell on every page; on the queue, the
counts per tab and state, the cases new since the page was drawn, who now has the page's rows;
a fixed number of queries, a 304 when nothing changed, and the reason for every bad question."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count
from django.test import Client

from cases import services
from cases.models import Case, State
from notifications.models import Notification, ReminderKind
from tests.factories import open_case, walk


def browser(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def tell(user: User, case: Case) -> Notification:
    return Notification.objects.create(recipient=user, case=case, kind=ReminderKind.FOLLOW_UP_DUE,
                                       data={"case_id": case.pk})


def queue_news(client: Client, query: str = "tab=mine", **extra: str) -> dict:
    response = client.get(f"/live/?queue=1&{query}&{urlencode(extra)}")
    assert response.status_code == 200, response.content
    return response.json()


def page_after(client: Client, query: str = "") -> int:
    """The newest case id the queue page knew when drawn (what live.js sends back as `after`)."""
    page = client.get(f"/?{query}").content.decode()
    return int(re.search(r'data-after="(\d+)"', page).group(1))


def test_the_bell_says_how_many_notifications_are_unread_on_any_page(db, shop, agent):
    case = open_case(shop, by=agent)
    tell(agent, case)
    tell(agent, case)

    answer = browser(agent).get("/live/").json()

    assert answer == {"unread": {"count": 2, "label": "2 unread"}}


def test_the_bell_is_drawn_on_every_page_even_at_zero_so_it_can_change(db, shop, agent):
    page = browser(agent).get("/notifications/").content.decode()

    assert 'id="unread"' in page and "hidden>0</span>" in page
    assert 'data-live="/live/"' in page and "pages/live.js" in page


def test_someone_logged_out_is_told_to_log_in_again_not_sent_a_login_page(db):
    response = browser(None).get("/live/?queue=1")

    assert response.status_code == 401
    assert response.json()["detail"] == "Log in again to see what changed."


def test_the_counts_per_tab_and_per_state_are_those_of_the_cases_the_agent_works(
    db, shop, other_shop, agent, teammate, outsider
):
    mine = walk(open_case(shop, by=agent), agent, "acknowledge")
    also_mine = open_case(shop, by=agent)  # new
    open_case(shop, by=None)  # nobody's
    theirs = open_case(shop, by=teammate)  # the teammate's: not listed for the agent
    open_case(other_shop, by=outsider)  # another shop's
    Case.objects.filter(pk__in=[mine.pk, also_mine.pk]).update(assignee=agent)
    Case.objects.filter(pk=theirs.pk).update(assignee=teammate)
    Case.objects.filter(pk=mine.pk).update(next_due_at=mine.opened_at)  # breached

    answer = queue_news(browser(agent))

    assert answer["tabs"] == {"mine": 2, "unassigned": 1, "soon": 1}  # agents have no escalated tab
    assert [(s["label"], s["n"]) for s in answer["states"]] == [("New", 1), ("Acknowledged", 1)]


def test_a_supervisor_counts_the_escalated_tab_too(db, shop, agent, supervisor):
    services.run_transition(case_id=open_case(shop, by=agent).pk, name="escalate", by=agent,
                            data={"reason": "The buyer threatens a platform complaint."})

    answer = queue_news(browser(supervisor), "tab=escalated")

    assert answer["tabs"]["escalated"] == 1 and answer["tabs"]["mine"] == 0
    assert [s["state"] for s in answer["states"]] == [State.ESCALATED]


def test_cases_opened_after_the_page_was_drawn_are_new_in_the_tab_they_arrive_in(
    db, shop, agent, teammate
):
    open_case(shop, by=None)
    client = browser(agent)
    after = page_after(client, "tab=unassigned")

    open_case(shop, by=None)
    open_case(shop, by=None)
    theirs = open_case(shop, by=teammate)
    Case.objects.filter(pk=theirs.pk).update(assignee=teammate)  # not in the unassigned tab

    news = queue_news(client, "tab=unassigned", after=str(after))["new"]
    assert news == {"count": 2, "label": "2 new cases — show"}
    assert queue_news(client, "tab=mine", after=str(after))["new"]["count"] == 0


def test_a_row_someone_else_took_says_who_has_it_now(db, shop, agent, teammate, supervisor):
    waiting, other = open_case(shop, by=None), open_case(shop, by=None)
    services.claim_case(case_id=waiting.pk, by=teammate)

    rows = queue_news(browser(agent), "tab=unassigned", ids=f"{waiting.pk},{other.pk}")["rows"]

    assert rows == [
        {"id": waiting.pk, "assignee": "agent2", "state": "new", "taken": "Taken by agent2",
         "closed": False},
        {"id": other.pk, "assignee": "", "state": "new", "taken": "", "closed": False},
    ]


def test_rows_of_cases_the_user_may_not_read_are_not_answered(db, shop, other_shop, agent,
                                                              outsider):
    theirs = open_case(other_shop, by=outsider)

    assert queue_news(browser(agent), ids=str(theirs.pk))["rows"] == []


def test_an_unchanged_answer_is_a_304_with_no_body(db, shop, agent):
    open_case(shop, by=agent)
    client = browser(agent)
    first = client.get("/live/?queue=1&tab=mine")

    again = client.get("/live/?queue=1&tab=mine", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""

    open_case(shop, by=agent)
    changed = client.get("/live/?queue=1&tab=mine", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


@pytest.mark.parametrize("cases", [3, 30])
def test_the_queues_news_cost_a_fixed_number_of_queries(db, shop, agent, teammate, cases,
                                                        django_assert_num_queries):
    made = [open_case(shop, by=agent if i % 2 else None) for i in range(cases)]
    ids = ",".join(str(case.pk) for case in made)
    client = browser(agent)

    # session, user, groups and shops, the shops' names (the filter's choice), the counts per state
    # with the new ones, the counts per tab (two: the agent's own, then nobody's, each read from
    # its index alone), the page's rows, the unread notifications
    with django_assert_num_queries(9):
        client.get(f"/live/?queue=1&tab=all&after=0&ids={ids}")


def test_the_bell_alone_costs_three_queries(db, shop, agent, django_assert_num_queries):
    client = browser(agent)

    with django_assert_num_queries(3):  # session, user, the unread count
        client.get("/live/")


@pytest.mark.parametrize("query, field", [
    ("after=abc", "after"),
    ("after=-1", "after"),
    ("ids=1,two", "ids"),
    ("ids=" + ",".join(str(n) for n in range(1, 102)), "ids"),
    ("q=%20%20", "search"),
    ("breached=yes", "breached"),
    ("kind=nonsense", "kind"),
])
def test_a_question_it_cannot_read_is_a_400_with_the_reason(db, shop, agent, query, field):
    response = browser(agent).get(f"/live/?queue=1&tab=mine&{query}")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_it_only_answers_get(db, agent):
    assert browser(agent).post("/live/").status_code == 405


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan of PostgreSQL")
def test_a_supervisors_counts_per_state_are_read_from_the_index_alone(db, shop, agent,
                                                                       supervisor):
    from cases.pages.queue_filters import tab_cases

    for _ in range(3):
        open_case(shop, by=agent)
    counts = tab_cases(supervisor, "all", {}).order_by().values("state").annotate(n=Count("id"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")  # the planner's figures, as on a working database
        cursor.execute("SET enable_seqscan = off")
        plan = counts.explain()
        cursor.execute("RESET enable_seqscan")

    # The state counts come from an index, never a scan of the table (with three cases the planner
    # may take any index that starts with the shop: case_shop_state, or case_shop_opened since 0025).
    assert "Seq Scan" not in plan and "case_shop_" in plan
