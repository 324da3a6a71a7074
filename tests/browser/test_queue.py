"""The queue in a real browser: claim next, search by part of a handle, a bulk assign with one
refused row, and the keys."""

from __future__ import annotations

import re

import pytest

from cases.models import Case, State
from tests.browser.conftest import log_in
from tests.factories import open_case

pytestmark = pytest.mark.browser


def test_claim_next_from_the_queue_opens_the_most_urgent_unassigned_case_as_mine(
    open_page, transactional_db, shop, agent
):
    later, sooner = open_case(shop, by=None), open_case(shop, by=None)
    Case.objects.filter(pk=later.pk).update(next_due_at=sooner.next_due_at.replace(year=2100))
    page, url = open_page()
    log_in(page, url, "agent1")

    page.click("#claim-next button")

    page.wait_for_url(re.compile(rf".*/cases/{sooner.pk}/$"))
    assert Case.objects.get(pk=sooner.pk).assignee == agent
    assert Case.objects.get(pk=later.pk).assignee is None


def test_a_search_for_part_of_a_handle_finds_the_buyers_case(open_page, transactional_db, shop,
                                                            agent):
    wanted = open_case(shop, by=None, customer={"name": "李雷", "handle": "tea_lover_88"})
    other = open_case(shop, by=None)
    page, url = open_page()
    log_in(page, url, "agent1")
    page.goto(url + "/?tab=all")

    page.fill("#id_q", "lover")
    page.press("#id_q", "Enter")
    page.wait_for_load_state()

    ids = page.locator("table.queue a.open").all_inner_texts()
    assert ids == [str(wanted.pk)] and str(other.pk) not in ids


def test_a_supervisor_assigns_the_selected_rows_and_is_told_which_one_was_refused(
    open_page, transactional_db, shop, agent, teammate, supervisor
):
    cases = [open_case(shop, by=None) for _ in range(3)]
    Case.objects.filter(pk=cases[0].pk).update(state=State.CLOSED)
    page, url = open_page()
    log_in(page, url, "supervisor1")
    page.goto(url + "/?tab=all")

    # the bar shows only once something is selected; "select all" takes the page
    assert not page.locator("#bulk").is_visible()
    page.check("#select-all")
    assert page.locator("#bulk").is_visible()
    page.select_option("#bulk-to", "agent2")
    page.click("#bulk button[value=assign]")
    page.wait_for_load_state()

    assert page.locator(".messages").inner_text() == (
        f"2 done, 1 refused: #{cases[0].pk} — A closed case cannot be assigned; reopen it first.")
    assert "tab=all" in page.url
    assert [Case.objects.get(pk=c.pk).assignee for c in cases] == [None, teammate, teammate]


def test_j_j_enter_opens_the_second_row_and_question_mark_shows_the_keys(
    open_page, transactional_db, shop, agent
):
    first, second = open_case(shop, by=agent), open_case(shop, by=agent)
    Case.objects.filter(pk__in=[first.pk, second.pk]).update(assignee=agent)
    Case.objects.filter(pk=second.pk).update(next_due_at=first.next_due_at.replace(year=2100))
    page, url = open_page("zh-hans")
    log_in(page, url, "agent1")

    assert not page.locator("#keys dl").is_visible()
    page.keyboard.press("?")
    assert page.locator("#keys dl").is_visible()
    assert "下一个 / 上一个案件" in page.locator("#keys").inner_text()

    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/cases/{second.pk}/$"))


def test_keys_typed_in_the_search_box_are_letters_not_commands(open_page, transactional_db,
                                                               shop, agent):
    open_case(shop, by=None)
    page, url = open_page()
    log_in(page, url, "agent1")

    page.keyboard.press("/")
    page.keyboard.type("jn?")

    assert page.input_value("#id_q") == "jn?"
    assert page.url == url + "/" and not page.locator("#keys dl").is_visible()
