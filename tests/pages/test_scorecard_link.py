"""Agents find their own scorecard in the top bar, supervisors the team's, in both languages."""

from __future__ import annotations

import re

from django.test import Client

from tests.factories import UserFactory


def nav(user, language="en") -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    html = client.get("/notifications/").content.decode()
    return re.search(r"<nav .*?</nav>", html, re.S).group(0)


def test_an_agent_finds_their_own_scorecard_in_the_top_bar(db, shop, agent):
    bar = nav(agent)

    assert '<a href="/reports/agents/">My scorecard</a>' in bar
    assert "Agent scorecard" not in bar and 'href="/reports/"' not in bar


def test_a_supervisor_finds_the_teams_scorecard_beside_the_reports(db, shop, supervisor):
    bar = nav(supervisor)

    assert '<a href="/reports/agents/">Agent scorecard</a>' in bar
    assert bar.index('href="/reports/"') < bar.index('href="/reports/agents/"')
    assert "My scorecard" not in bar


def test_the_links_read_in_chinese(db, shop, agent, supervisor):
    assert '<a href="/reports/agents/">我的绩效</a>' in nav(agent, "zh-hans")
    assert '<a href="/reports/agents/">客服绩效表</a>' in nav(supervisor, "zh-hans")


def test_someone_without_a_role_gets_no_scorecard_link(db, shop):
    assert "/reports/agents/" not in nav(UserFactory(username="nobody"))


def test_the_agents_link_opens_their_own_card_beside_the_team(db, shop, agent, teammate):
    client = Client()
    client.force_login(agent)

    html = client.get("/reports/agents/").content.decode()

    assert ">agent1<" in html and ">agent2<" not in html and "Team" in html
    assert "<h1>My scorecard</h1>" in html
