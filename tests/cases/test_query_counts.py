"""The queue and a case's page cost a fixed number of queries, however many cases and events."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.models import Case, Kind
from tests.factories import open_case, walk

# Pinned: the user's groups and shops (once per request), the count, the page. Admins skip the
# first two.
MAX_LIST_QUERIES = 4
# Pinned: the user's groups and shops, the case (with shop, assignee, order, buyer), its timeline,
# contacts and evidence, and the buyer's recent outbound attempts (contact_refusal: one COUNT over
# all their cases, added with the contact limits), and the suggestions' look for the case's vector
# with its shop's stamp (a case with a vector adds its similar cases' rows: test_similar_cases.py).
MAX_DETAIL_QUERIES = 8


def as_fresh(user: User) -> User:
    """The user as a request loads them: nothing cached on the object from earlier requests."""
    return User.objects.get(pk=user.pk)


def queries_for(api: Any, user: User, url: str) -> int:
    fresh = as_fresh(user)
    with CaptureQueriesContext(connection) as queries:
        response = api(fresh).get(url)
    assert response.status_code == 200
    return len(queries)


def open_cases(shop: Any, agent: User, how_many: int) -> None:
    """A mixed queue: every kind, some taken by the agent, some still unassigned."""
    kinds = [Kind.REFUND, Kind.NON_DELIVERY, Kind.NOT_AS_DESCRIBED]
    for i in range(how_many):
        case = open_case(shop, by=agent, kind=kinds[i % 3])
        if i % 2:
            walk(case, agent, "acknowledge")


def add_events(case: Case, agent: User, how_many: int) -> None:
    for i in range(how_many):
        services.log_contact(case_id=case.pk, by=agent, data={
            # the buyer writes: the shop's own outbound attempts are limited (3 in 7 days)
            "channel": "chat", "direction": "inbound",
            "body": f"message {i}"})


@pytest.mark.parametrize("persona", ["agent", "supervisor", "admin"])
def test_the_queue_costs_the_same_queries_for_5_cases_as_for_40(request, api, shop, agent, persona):
    user = request.getfixturevalue(persona)

    # given 5 cases
    open_cases(shop, agent, 5)
    with_5 = queries_for(api, user, "/api/v1/cases/")

    # when the queue grows to 40
    open_cases(shop, agent, 35)
    assert Case.objects.count() == 40
    with_40 = queries_for(api, user, "/api/v1/cases/")

    # then
    assert with_5 == with_40


def test_the_queue_stays_under_a_fixed_number_of_queries(
    api, shop, agent, django_assert_max_num_queries
):
    open_cases(shop, agent, 40)

    for query in ["", "?kind=refund&state=new&state=acknowledged", "?assignee=me",
                  "?assignee=none&shop=demo", "?ordering=-resolution_due_at&page_size=200"]:
        fresh = as_fresh(agent)
        with django_assert_max_num_queries(MAX_LIST_QUERIES):
            response = api(fresh).get("/api/v1/cases/" + query)
        assert response.status_code == 200, query


def test_a_case_page_costs_the_same_queries_with_5_events_as_with_50(api, shop, agent):
    # given two calmed cases, one with a short timeline and one with a long one
    short = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")
    add_events(short, agent, 1)
    long = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")
    add_events(long, agent, 46)
    assert (short.timeline.count(), long.timeline.count()) == (5, 50)

    # when / then
    with_5 = queries_for(api, agent, f"/api/v1/cases/{short.pk}/")
    with_50 = queries_for(api, agent, f"/api/v1/cases/{long.pk}/")
    assert with_5 == with_50


def test_a_resolved_case_page_costs_the_same_queries_however_many_follow_ups(api, shop, agent):
    # the close guard (which decides whether "close" is offered) reads the contacts itself
    few = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen", "propose", "accept")
    add_events(few, agent, 2)
    many = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen", "propose",
                "accept")
    add_events(many, agent, 40)

    assert queries_for(api, agent, f"/api/v1/cases/{few.pk}/") == queries_for(
        api, agent, f"/api/v1/cases/{many.pk}/")


def test_a_case_page_stays_under_a_fixed_number_of_queries(
    api, shop, agent, django_assert_max_num_queries
):
    case = walk(open_case(shop, by=agent, kind=Kind.NOT_AS_DESCRIBED), agent, "acknowledge", "calm",
                "listen")
    add_events(case, agent, 50)
    fresh = as_fresh(agent)

    with django_assert_max_num_queries(MAX_DETAIL_QUERIES):
        response = api(fresh).get(f"/api/v1/cases/{case.pk}/")

    assert len(response.json()["timeline"]) == 55
    assert len(response.json()["evidence"]) == 1


def test_an_integrations_list_request_costs_the_same_queries_for_5_cases_as_for_40(
    shop, agent, supervisor, django_assert_max_num_queries
):
    """As an integration calls it (and the benchmark): a Bearer token, so each request loads the
    token with its user, then the user's roles, the count and the page."""
    from rest_framework.test import APIClient

    from cases.services import create_api_token

    create_api_token(shop=shop, user=supervisor, name="ERP sync", by=None, raw="erp-sync-token")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer erp-sync-token")
    url = "/api/v1/cases/?state=acknowledged&ordering=next_due_at&page_size=50"
    client.get(url)  # the token's first use is noted once (last_used_at)

    open_cases(shop, agent, 5)
    with django_assert_max_num_queries(MAX_LIST_QUERIES + 1) as with_5:
        assert client.get(url).status_code == 200
    open_cases(shop, agent, 35)
    with django_assert_max_num_queries(MAX_LIST_QUERIES + 1) as with_40:
        response = client.get(url)

    assert response.json()["count"] == Case.objects.filter(state="acknowledged").count() > 5
    assert len(with_5) == len(with_40)


def add_conversation(case: Case, agent: User, how_many: int) -> None:
    """The buyer writes and the agent answers, in turn (answers: no contact limit)."""
    for i in range(how_many):
        if i % 2 == 0:
            services.log_contact(case_id=case.pk, by=None, data={
                "channel": "chat", "direction": "inbound", "body": f"buyer {i}"})
        else:
            services.send_message(case_id=case.pk, by=agent, data={"body": f"answer {i}"})


def test_the_conversation_costs_the_same_queries_with_3_messages_as_with_60(api, shop, agent):
    # given a shop with a connector (each sent message has its outgoing row), and two threads
    shop.outgoing_webhook_url = "http://127.0.0.1:9/hooks"
    shop.save()
    short, long = open_case(shop, by=agent), open_case(shop, by=agent)
    add_conversation(short, agent, 3)
    add_conversation(long, agent, 60)
    assert (short.contacts.count(), long.contacts.count()) == (3, 60)

    # when / then: the messages, and the case detail (buyer_waiting_since, contacts)
    for url in ("/api/v1/cases/{}/messages/", "/api/v1/cases/{}/"):
        assert queries_for(api, agent, url.format(short.pk)) == queries_for(
            api, agent, url.format(long.pk)), url


def test_the_conversation_stays_under_a_fixed_number_of_queries(
    api, shop, agent, django_assert_max_num_queries
):
    case = open_case(shop, by=agent)
    add_conversation(case, agent, 20)
    fresh = as_fresh(agent)

    # the user's groups and shops, the case's visibility, its messages with their outgoing rows
    with django_assert_max_num_queries(4):
        response = api(fresh).get(f"/api/v1/cases/{case.pk}/messages/")

    assert len(response.json()) == 20
