"""The scorecard page: the team's row first, figures in human units, sorting by links, who sees it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from tests.factories import UserFactory
from tests.reports.conftest import RANGE

URL = "/reports/agents/"


def page(user, **params):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(URL, {**RANGE, "shop": "demo", **params})


def test_the_supervisor_reads_every_agent_in_human_units(scene, supervisor):
    response = page(supervisor)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Team" in html and "agent1" in html and "agent2" in html
    assert "4 h 0 min" in html  # agent1's median resolution
    assert "5 d 3 h" in html  # agent2's: 123.5 hours
    assert "60 %" in html  # agent1's deadlines met
    assert "¥79.00" in html
    assert "/?tab=all&amp;assignee=agent1" in html
    assert "format=csv" in html


def test_each_agents_satisfaction_reads_as_stars_of_five_beside_the_teams(scene, supervisor):
    html = page(supervisor).content.decode()

    assert "Buyers' rating" in html and "Surveys answered" in html
    assert "4.5 / 5" in html and "2.0 / 5" in html  # agent1, agent2
    assert "3.7 / 5" in html  # the team: 5, 4 and 2 stars
    assert "2 (67 %)" in html  # agent1 answered 2 of the 3 surveys sent
    assert "3 (75 %)" in html  # the team: 3 of 4


def test_sorting_by_satisfaction_puts_the_best_rated_first(scene, supervisor):
    html = page(supervisor, sort="-satisfaction_average").content.decode()

    assert html.index(">agent1<") < html.index(">agent2<")
    assert "sort=satisfaction_average" in html  # again: the lowest first


def test_the_shop_filter_offers_the_readers_shops_after_all_of_them(scene, supervisor, outsider):
    html = page(supervisor).content.decode()

    select = html[html.index('<select id="shop"'):html.index("</select>", html.index('id="shop"'))]
    assert '<option value="">All my shops</option>' in select
    assert select.index("All my shops") < select.index('value="demo" translate="no" selected')
    assert 'value="elsewhere"' not in select  # the outsider's shop is not the supervisor's
    assert '<input id="shop"' not in html


def test_a_shop_that_is_not_yours_is_a_400_that_says_so_with_the_filter_still_there(
        scene, supervisor):
    response = page(supervisor, shop="nowhere")

    assert response.status_code == 400
    html = response.content.decode()
    assert "None of your shops has the code nowhere." in html
    assert '<option value="">All my shops</option>' in html


def test_in_chinese_the_shop_filter_and_satisfaction_are_chinese(scene, supervisor):
    client = Client()
    client.force_login(supervisor)

    html = client.get(URL, {**RANGE, "shop": "demo"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "我的全部店铺" in html and "买家评分" in html and "4.5 / 5" in html
    assert "All my shops" not in html and "Buyers' rating" not in html
    bad = client.get(URL, {"shop": "nowhere"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400 and "nowhere" in bad.content.decode()
    assert "None of your shops" not in bad.content.decode()


def test_in_chinese_the_durations_and_headers_are_chinese(scene, supervisor):
    client = Client()
    client.force_login(supervisor)

    html = client.get(URL, {**RANGE, "shop": "demo"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "团队" in html and "5 天 3 小时" in html and "客服绩效表" in html


def test_sorting_is_a_link_and_clicking_again_reverses_it(scene, supervisor):
    html = page(supervisor, sort="-resolution_median_hours").content.decode()

    assert html.index(">agent2<") < html.index(">agent1<")
    assert 'aria-sort="descending"' in html
    assert "sort=resolution_median_hours" in html  # the same column again: the other way


def test_an_agent_sees_their_own_row_and_the_team(scene, agent):
    html = page(agent).content.decode()

    assert ">agent1<" in html and ">agent2<" not in html


def test_no_dates_means_the_last_four_weeks(scene, supervisor):
    client = Client()
    client.force_login(supervisor)

    response = client.get(URL)

    assert response.status_code == 200
    assert 'name="since" type="date" value="20' in response.content.decode()


@pytest.mark.parametrize("params", [{"since": "2026-11-09", "until": "2026-11-01"},
                                    {"since": "soon"}, {"shop": "elsewhere"}])
def test_a_bad_filter_is_400_with_the_reason_on_the_page(scene, supervisor, params):
    response = page(supervisor, **params)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_someone_without_a_role_gets_403_and_anonymous_the_login(db):
    assert page(UserFactory(username="nobody")).status_code == 403
    assert page(None).status_code == 302


def test_the_page_is_a_fixed_few_queries(scene, supervisor, django_assert_num_queries):
    for n in range(4):
        UserFactory(username=f"extra{n}", role="agent", shops=[scene])
    client = Client()
    client.force_login(supervisor)

    # session, user, groups and shops (one query), unread count; the shops of the filter (their codes and
    # names); the scorecard (test_scorecard.py: with a shop asked for, it reads that shop)
    with django_assert_num_queries(11 if connection.vendor == "postgresql" else 15):
        assert client.get(URL, {**RANGE, "shop": "demo"}).status_code == 200
    # every shop of the reader: the scorecard reads the filter's list of shops, no query of its own
    with django_assert_num_queries(10 if connection.vendor == "postgresql" else 14):
        assert client.get(URL, RANGE).status_code == 200


def test_the_unknown_shop_asked_for_stays_selected_beside_the_reason(scene, supervisor):
    html = page(supervisor, shop="nowhere").content.decode()

    assert '<option value="nowhere" translate="no" selected>nowhere</option>' in html
    assert "None of your shops has the code nowhere." in html
