"""The escalations page: a compact table of escalated cases, filtered, sorted and paged, with the
hand-over in each row."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.models import Case, State
from cases.services.escalation import escalate_as_system
from tests.factories import open_case, walk
from tests.reviews.factories import open_review_case


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def escalated(shop, agent, **fields):
    case = walk(open_case(shop, by=agent, **fields.pop("payload", {})), agent, "acknowledge",
                "escalate")
    if fields:
        Case.objects.filter(pk=case.pk).update(**fields)
    return Case.objects.get(pk=case.pk)


def by_the_system(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    escalate_as_system(case_id=case.pk,
                       reason="The first-response deadline passed without a reply.")
    return Case.objects.get(pk=case.pk)


def row_ids(page: str) -> list[int]:
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return [int(part.split('/"')[0]) for part in body.split('<td><a href="/cases/')[1:]]


def test_each_row_says_how_long_ago_why_how_much_and_the_next_deadline(db, shop, agent,
                                                                       supervisor):
    case = escalated(shop, agent, escalated_at=timezone.now() - timedelta(hours=3, minutes=20),
                     claimed_amount=Decimal("128.00"),
                     next_due_at=timezone.now() + timedelta(hours=1, minutes=30))

    page = browser(supervisor).get("/escalations/").content.decode()

    assert f'<a href="/cases/{case.pk}/">{case.pk}</a>' in page
    assert "3 h 20 min ago" in page
    assert "The buyer threatens a platform complaint." in page
    assert "¥128.00" in page
    assert "1 h 29 min left" in page or "1 h 30 min left" in page
    assert '<span translate="no">agent1</span>' in page
    assert 'class="card"' not in page


def test_the_systems_reason_is_in_the_readers_language(db, shop, agent, supervisor):
    by_the_system(shop, agent)
    client = browser(supervisor)

    page = client.get("/escalations/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "The first-response deadline passed" not in page
    assert "首次回复期限已过，仍未回复。" in page


def test_the_filters_narrow_by_kind_and_by_who_escalated(db, shop, agent, supervisor):
    refund = escalated(shop, agent)
    review = walk(open_review_case(shop, by=agent), agent, "escalate")
    breach = by_the_system(shop, agent)
    client = browser(supervisor)

    assert row_ids(client.get("/escalations/?kind=negative_review").content.decode()) == [review.pk]
    assert row_ids(client.get("/escalations/?by=system").content.decode()) == [breach.pk]
    assert set(row_ids(client.get("/escalations/?by=person").content.decode())) == {
        refund.pk, review.pk}


def test_the_shop_is_a_choice_of_the_supervisors_shops(db, shop, other_shop, agent, supervisor):
    supervisor.shops.add(other_shop)
    agent.shops.add(other_shop)
    ours = escalated(shop, agent)
    theirs = escalated(other_shop, agent)
    client = browser(supervisor)

    page = client.get("/escalations/?shop=elsewhere").content.decode()

    assert row_ids(page) == [theirs.pk]
    assert '<option value="demo" translate="no">Demo shop</option>' in page
    assert row_ids(client.get("/escalations/?shop=demo").content.decode()) == [ours.pk]


def test_an_unknown_shop_or_sort_is_refused_with_the_reason(db, shop, agent, supervisor):
    escalated(shop, agent)
    client = browser(supervisor)

    bad_sort = client.get("/escalations/?sort=description")
    bad_shop = client.get("/escalations/?shop=nowhere")

    assert bad_sort.status_code == 400
    assert "Sort by one of: escalated" in bad_sort.content.decode()
    assert bad_shop.status_code == 400
    assert "Select a valid choice" in bad_shop.content.decode()


def test_rows_sort_by_a_whitelisted_column_either_way(db, shop, agent, supervisor):
    now = timezone.now()
    small = escalated(shop, agent, claimed_amount=Decimal("10"), escalated_at=now - timedelta(hours=1),
                      next_due_at=now + timedelta(hours=5))
    large = escalated(shop, agent, claimed_amount=Decimal("900"), escalated_at=now,
                      next_due_at=now + timedelta(hours=1))
    none = escalated(shop, agent, claimed_amount=None, escalated_at=now - timedelta(hours=2),
                     next_due_at=None)
    client = browser(supervisor)

    def order(sort):
        return row_ids(client.get(f"/escalations/?sort={sort}").content.decode())

    assert order("") == [none.pk, small.pk, large.pk]  # the longest waiting first
    assert order("-escalated") == [large.pk, small.pk, none.pk]
    assert order("amount") == [small.pk, large.pk, none.pk]
    assert order("-amount") == [large.pk, small.pk, none.pk]
    assert order("deadline") == [large.pk, small.pk, none.pk]
    page = client.get("/escalations/?sort=amount&kind=refund").content.decode()
    assert 'aria-sort="ascending"><a href="?sort=-amount&amp;kind=refund">' in page


def test_pages_hold_25_rows_and_keep_the_filter_and_sort(db, shop, agent, supervisor):
    cases = [escalated(shop, agent) for _ in range(27)]
    client = browser(supervisor)

    first = client.get("/escalations/?sort=-escalated&kind=refund").content.decode()
    second = client.get("/escalations/?sort=-escalated&kind=refund&page=2").content.decode()

    assert len(row_ids(first)) == 25
    assert set(row_ids(second)) == {c.pk for c in cases} - set(row_ids(first))
    assert "Page 1 of 2 (27 cases)" in first
    assert 'href="?sort=-escalated&amp;kind=refund&amp;page=2"' in first


@pytest.mark.parametrize("rows", [3, 25])
def test_the_page_costs_the_same_queries_for_3_rows_as_for_25(db, shop, agent, teammate,
                                                               supervisor, rows,
                                                               django_assert_num_queries):
    for n in range(rows):
        if n % 3 == 0:
            by_the_system(shop, agent)
        else:
            escalated(shop, agent)
    client = browser(supervisor)
    client.get("/escalations/")  # the session and the language settle

    # session, user, groups, shops, the shop choice, COUNT, the rows, the agents and their
    # shops, the shops' warning leads, the bell, and the refunds awaiting approval (none here)
    with django_assert_num_queries(11):
        response = client.get("/escalations/")

    assert len(row_ids(response.content.decode())) == rows


def test_the_hand_over_in_a_row_offers_the_shops_other_agents(db, shop, agent, teammate,
                                                             supervisor):
    escalated(shop, agent)

    page = browser(supervisor).get("/escalations/").content.decode()

    form = page[page.index('<form method="post" action="/cases/'):]
    form = form[:form.index("</form>")]
    assert "agent2 (0 open, 0 breached)" in form
    assert "agent1 (" not in form  # it is theirs already


def test_a_hand_over_from_a_row_returns_to_the_same_filtered_sorted_page(db, shop, agent, teammate,
                                                                        supervisor):
    case = escalated(shop, agent)
    client = browser(supervisor)
    page = client.get("/escalations/?kind=refund&sort=-amount&page=1").content.decode()
    assert 'name="next" value="/escalations/?kind=refund&amp;sort=-amount&amp;page=1"' in page

    response = client.post(f"/cases/{case.pk}/transitions/hand_over/", {
        "hand_over-to": "agent2", "hand_over-reason": "A fresh voice for this buyer.",
        "next": "/escalations/?kind=refund&sort=-amount&page=1"})

    assert response.status_code == 302
    assert response["Location"] == "/escalations/?kind=refund&sort=-amount&page=1"
    case.refresh_from_db()
    assert (case.state, case.assignee) == (State.ACKNOWLEDGED, teammate)


def test_a_refused_hand_over_keeps_what_was_typed_and_says_why(db, shop, agent, outsider,
                                                             supervisor):
    case = escalated(shop, agent)
    client = browser(supervisor)

    response = client.post(f"/cases/{case.pk}/transitions/hand_over/", {
        "hand_over-to": "outsider", "hand_over-reason": "Someone new, please.",
        "next": "/escalations/?kind=refund"}, follow=True)

    page = response.content.decode()
    assert "Someone new, please." in page
    case.refresh_from_db()
    assert (case.state, case.assignee) == (State.ESCALATED, agent)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan of PostgreSQL")
def test_the_escalated_cases_are_read_through_their_own_index(db, shop, agent, supervisor):
    for _ in range(3):
        escalated(shop, agent)
    qs = Case.objects.filter(shop_id__in=[shop.pk], state=State.ESCALATED).order_by(
        "escalated_at", "id")[:25]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = qs.explain()
        cursor.execute("RESET enable_seqscan")

    assert "case_escalated" in plan
