"""The team board's figures open the queue with `assignee`, `breached` and `state`: the queue reads
them through its one selector (as the API does), shows each as a chip that removes it, and the
rows are the figure's cases."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from django.contrib.auth.models import User
from django.test import Client

from cases.models import Case
from tests.factories import open_case, walk


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row_ids(page: str) -> set[int]:
    return {int(n) for n in re.findall(r'<a href="/cases/(\d+)/" class="open">', page)}


def chips(page: str) -> dict[str, str]:
    """Each chip's words and the query its × goes to."""
    return {re.sub(r"<[^>]+>", "", words): unescape(query) for words, query in re.findall(
        r'<li><span>(.+?)</span> <a href="\?([^"]*)" class="remove"', page)}


def scene(shop, agent, teammate):
    late = walk(open_case(shop, by=agent), agent, "acknowledge")
    on_time = open_case(shop, by=agent)
    theirs = open_case(shop, by=teammate)
    nobodys = open_case(shop, by=None)
    Case.objects.filter(pk__in=[late.pk, on_time.pk]).update(assignee=agent)
    Case.objects.filter(pk=theirs.pk).update(assignee=teammate)
    Case.objects.filter(pk=late.pk).update(next_due_at=late.opened_at - timedelta(hours=1))
    return late, on_time, theirs, nobodys


def test_every_figure_of_the_team_board_opens_the_queue_with_those_cases(db, shop, agent,
                                                                       teammate, supervisor):
    late, on_time, theirs, _nobodys = scene(shop, agent, teammate)
    client = browser(supervisor)
    board = unescape(client.get("/team/").content.decode())
    links = dict(re.findall(r'href="(/\?tab=all&assignee=agent1[^"]*)">(\d+)</a>', board))
    links = {url: int(n) for url, n in links.items()}

    for url, figure in links.items():
        page = client.get(url).content.decode()
        assert len(row_ids(page)) == figure, url
    assert row_ids(client.get("/?tab=all&assignee=agent1&breached=1").content.decode()) == {
        late.pk}
    assert row_ids(client.get("/?tab=all&assignee=agent1").content.decode()) == {
        late.pk, on_time.pk}
    assert row_ids(client.get("/?tab=all&assignee=agent2&state=new").content.decode()) == {
        theirs.pk}


def test_each_filter_from_a_link_is_a_chip_that_removes_only_itself(db, shop, agent, teammate,
                                                                   supervisor):
    scene(shop, agent, teammate)

    page = browser(supervisor).get(
        "/?tab=all&assignee=agent1&breached=1&state=acknowledged&page=1").content.decode()

    assert chips(page) == {
        "Assigned to agent1": "tab=all&breached=1&state=acknowledged",
        "Deadline passed": "tab=all&assignee=agent1&state=acknowledged",
        "State: Acknowledged": "tab=all&assignee=agent1&breached=1",
    }
    assert '<span>Assigned to <span translate="no">agent1</span></span>' in page
    # the search form keeps them when the search changes
    assert '<input type="hidden" name="assignee" value="agent1"' in page
    assert '<input type="hidden" name="breached" value="1"' in page


def test_the_chips_are_in_chinese_too(db, shop, agent, teammate, supervisor):
    scene(shop, agent, teammate)
    client = browser(supervisor)

    page = client.get("/?tab=all&assignee=none&breached=0",
                      headers={"Accept-Language": "zh-hans"}).content.decode()

    assert set(chips(page)) == {"无人负责", "未超过截止时间"}


def test_the_api_reads_breached_as_true_and_the_page_also_as_1(db, shop, agent, teammate,
                                                             supervisor):
    late, *_ = scene(shop, agent, teammate)

    page = browser(supervisor).get("/?tab=all&breached=true").content.decode()

    assert row_ids(page) == {late.pk}


def test_an_agent_asking_for_a_teammates_cases_sees_none_of_them(db, shop, agent, teammate):
    scene(shop, agent, teammate)

    page = browser(agent).get("/?tab=all&assignee=agent2").content.decode()

    assert row_ids(page) == set() and "No cases here." in page


def test_a_breached_value_it_cannot_read_is_a_400_with_the_reason(db, shop, agent, supervisor):
    response = browser(supervisor).get("/?tab=all&breached=yes")

    assert response.status_code == 400
    assert ("Breached is 1 (the next deadline has passed) or 0 (it has not)."
            in response.content.decode())


def test_an_assignee_filter_on_the_unassigned_tab_finds_nothing_but_nobodys(db, shop, agent,
                                                                            teammate,
                                                                            supervisor):
    *_, nobodys = scene(shop, agent, teammate)
    client = browser(supervisor)

    assert row_ids(client.get("/?tab=unassigned&assignee=agent1").content.decode()) == set()
    assert row_ids(client.get("/?tab=unassigned&assignee=none").content.decode()) == {
        nobodys.pk}
