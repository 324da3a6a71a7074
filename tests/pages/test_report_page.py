"""The report page's charts, their CSVs and the cases behind a figure, as a supervisor reads them."""

from __future__ import annotations

import csv
import io
import re

from django.test import Client

from tests.factories import TO_RESOLVED, open_case, walk


def some_cases(shop, agent, n=3):
    for _ in range(n):
        walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
        open_case(shop, by=agent)


def test_the_page_takes_the_same_number_of_queries_for_more_cases(db, shop, agent, reader,
                                                                  django_assert_max_num_queries):
    some_cases(shop, agent, 1)
    reader.get("/reports/")
    with django_assert_max_num_queries(40) as first:  # the session, the reader, the reports
        reader.get("/reports/")
    some_cases(shop, agent, 5)
    with django_assert_max_num_queries(len(first)) as second:
        reader.get("/reports/")
    # 19 for the reports and charts (the outcomes per group, the refunds per week and both remedy
    # mixes are one pass over the cases opened: figures.outcomes_and_refunds), 2 for the rising
    # causes, 1 for the refund approvals (the timeline's proposals and answers), 1 for the
    # satisfaction (per agent, kind and week at once)
    assert len(second) == len(first) == 22


def test_a_chart_csv_has_translated_headers_and_the_values(db, shop, agent, reader):
    some_cases(shop, agent, 2)

    response = reader.get("/reports/", {"csv": "backlog"}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["状态（代码）", "状态", "未结"]
    assert sum(int(row[2]) for row in rows[1:]) == 4
    assert reader.get("/reports/", {"csv": "nothing"}).status_code == 404


def test_every_bar_links_to_its_cases_and_the_list_counts_exactly_them(db, shop, agent, reader):
    some_cases(shop, agent, 3)
    links = set()
    for group_by in ("kind", "week", "agent"):
        page = reader.get("/reports/", {"group_by": group_by}).content.decode()
        links |= set(re.findall(r'href="(/reports/cases/\?[^"]+)"', page))
    assert any("week=" in link for link in links) and any("agent=" in link for link in links)

    for link in links:
        listed = reader.get(link.replace("&amp;", "&"))
        assert listed.status_code == 200, link
        html = listed.content.decode()
        count = int(re.search(r'data-count="(\d+)"', html).group(1))
        assert html.count('<tr><td><a href="/cases/') == min(count, 50)


def test_the_cases_behind_the_backlog_of_a_state(db, shop, agent, reader,
                                                 django_assert_num_queries):
    some_cases(shop, agent, 3)

    with django_assert_num_queries(7):
        html = reader.get("/reports/cases/", {"figure": "backlog", "state": "new"}
                          ).content.decode()

    assert 'data-count="3"' in html and html.count('<tr><td><a href="/cases/') == 3
    assert "<span class=\"chip\">New</span>" in html


def test_the_cases_behind_a_figure_are_for_supervisors(db, agent):
    client = Client()
    client.force_login(agent)

    assert client.get("/reports/cases/", {"figure": "backlog"}).status_code == 403
    assert Client().get("/reports/cases/", {"figure": "backlog"}).status_code == 302


def test_the_shop_filter_lists_the_readers_shops_and_an_unknown_one_is_a_400_that_says_so(
        db, shop, other_shop, reader):
    html = reader.get("/reports/").content.decode()
    select = html[html.index('<select id="shop"'):html.index("</select>", html.index('id="shop"'))]

    assert select.index("All my shops") < select.index('value="demo"')
    assert f'value="{other_shop.code}"' not in select
    refused = reader.get("/reports/", {"shop": other_shop.code}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 400
    assert "我的全部店铺" in refused.content.decode()
    assert f"{other_shop.code}" in refused.content.decode()
