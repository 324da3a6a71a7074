"""Supervisor pages: escalations to hand over (oldest first, with the reason) and the team board."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from cases.models import Case, State
from tests.factories import open_case, walk


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", ["/escalations/", "/team/"])
def test_agents_may_not_open_the_supervisor_pages(db, agent, path):
    assert browser(agent).get(path).status_code == 403


def test_escalations_are_listed_oldest_first_with_their_reason(db, shop, agent, teammate,
                                                               supervisor):
    older = walk(open_case(shop, by=agent), agent, "acknowledge", "escalate")
    newer = walk(open_case(shop, by=agent), agent, "acknowledge", "escalate")
    Case.objects.filter(pk=older.pk).update(escalated_at=newer.escalated_at - timedelta(hours=2))

    page = browser(supervisor).get("/escalations/").content.decode()

    assert page.index(f'href="/cases/{older.pk}/"') < page.index(f'href="/cases/{newer.pk}/"')
    assert "The buyer threatens a platform complaint." in page
    assert "agent2 (0 open, 0 breached)" in page


def test_a_supervisor_hands_an_escalated_case_over_from_the_list(db, shop, agent, teammate,
                                                                  supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "escalate")

    response = browser(supervisor).post(f"/cases/{case.pk}/transitions/hand_over/", {
        "hand_over-to": "agent2", "hand_over-reason": "A fresh voice for this buyer.",
        "next": "/escalations/"})

    assert response.status_code == 302
    assert response["Location"] == "/escalations/"
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.assignee) == (State.ACKNOWLEDGED, teammate)


def test_a_hand_over_never_redirects_off_site(db, shop, agent, supervisor, teammate):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "escalate")

    response = browser(supervisor).post(f"/cases/{case.pk}/transitions/hand_over/", {
        "hand_over-to": "agent2", "hand_over-reason": "x", "next": "https://evil.example/"})

    assert response["Location"] == f"/cases/{case.pk}/"


def test_the_team_board_counts_each_agents_open_breached_and_resolved_cases(db, shop, agent,
                                                                           teammate, supervisor):
    walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen", "propose", "accept")
    breached = walk(open_case(shop, by=agent), agent, "acknowledge")
    Case.objects.filter(pk=breached.pk).update(next_due_at=breached.opened_at - timedelta(hours=1))

    page = browser(supervisor).get("/team/").content.decode()

    row = page[page.index('<td translate="no">agent1</td>'):]
    row = row[:row.index("</tr>")]
    figures = [cell.split(">")[-1].strip() or cell.split(">")[-2].split("<")[0].strip()
               for cell in row.split("</td>")[1:-1]]
    # open: acknowledged, resolved (not yet closed); breached; resolved this week
    assert figures == ["2", "1", "1", "1", "1"]
    assert '<td translate="no">agent2</td>' in page


def test_each_figure_of_the_team_board_opens_the_queue_with_those_cases(db, shop, agent, teammate,
                                                                       supervisor):
    walk(open_case(shop, by=agent), agent, "acknowledge")
    escalated = walk(open_case(shop, by=agent), agent, "acknowledge", "escalate")
    Case.objects.filter(pk=escalated.pk).update(
        next_due_at=escalated.opened_at - timedelta(hours=1))

    page = browser(supervisor).get("/team/").content.decode()

    assert 'href="/?tab=all&amp;assignee=agent1">2</a>' in page
    assert 'href="/?tab=all&amp;assignee=agent1&amp;state=acknowledged"' in page
    assert 'href="/?tab=all&amp;assignee=agent1&amp;state=escalated"' in page
    assert 'href="/?tab=all&amp;assignee=agent1&amp;breached=1">1</a>' in page
    assert 'href="/?tab=all&amp;assignee=agent2&amp;state=acknowledged"' in page
    assert "<th scope=\"col\" class=\"number\">Acknowledged</th>" in page


def test_supervisors_see_the_links_agents_do_not(db, agent, supervisor):
    assert 'href="/escalations/"' in browser(supervisor).get("/").content.decode()
    assert 'href="/escalations/"' not in browser(agent).get("/").content.decode()
