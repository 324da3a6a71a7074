"""The report page as a supervisor reads it, in Chinese and in English: the charts drawn, no code or
snake_case key anywhere (text, tooltips, the charts' own names), and a bar or a figure that opens
exactly the cases behind it. With SCREENSHOTS=docs/screenshots, the page's pictures for the docs."""

from __future__ import annotations

import json
import os
import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.browser.words import foreign_words, page_texts

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("SCREENSHOTS")
SNAKE_CASE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
CODES = re.compile(r"\b(negative_review|non_delivery|not_as_described|full_refund|"
                   r"partial_refund|return_and_refund|apology_only|median_hours|p90_hours|"
                   r"remedy_mix|under_1_day|over_7_days|group_by)\b")


@pytest.fixture
def demo(transactional_db, demo_dumps):
    demo_dumps.once("seeded", lambda: call_command(
        "seed_demo", cases=40, reviews=34, verbosity=0, stdout=StringIO(), stderr=StringIO()))
    return set(User.objects.values_list("username", flat=True))


def log_in(page, url: str, username: str) -> None:
    page.goto(url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button.primary")
    page.wait_for_url(url + "/")


def drawn_charts(page) -> int:
    """The charts ECharts has drawn: a canvas with something on it, in each chart's box."""
    page.wait_for_function("document.querySelectorAll('.chart canvas').length >= 4")
    return page.evaluate("""() => [...document.querySelectorAll('.chart')].filter((el) => {
        const canvas = el.querySelector('canvas');
        return canvas && canvas.width > 0 && echarts.getInstanceByDom(el) !== undefined;
    }).length""")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_report_page_draws_its_charts_in_the_reader_s_language(open_page, demo, language):
    page, url = open_page(language)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, url, "supervisor1")

    page.goto(url + "/reports/")

    assert drawn_charts(page) >= 4
    texts = page_texts(page)
    names = sorted(demo, key=len, reverse=True)
    read = [t for t in texts if not any(n in t for n in names)]
    assert not foreign_words(read, language)
    assert not [t for t in read if SNAKE_CASE.search(t) or CODES.search(t)]
    # what the charts draw on their canvas: series, axes, categories, slices
    for data in page.locator("script[type='application/json'][id^=chart-data-]").all_text_contents():
        spec = json.loads(data)
        drawn = ([s["name"] for s in spec.get("series", [])] + spec.get("axes", [])
                 + spec.get("categories", []) + [p["name"] for p in spec.get("parts", [])])
        assert not [d for d in drawn if SNAKE_CASE.search(d) or CODES.search(d)], drawn
        assert not foreign_words(drawn, language), drawn
    assert errors == []
    if SCREENSHOTS:
        suffix = "" if language == "en" else "-zh"
        page.screenshot(path=f"{SCREENSHOTS}/reports{suffix}.png", full_page=True)


def test_a_bar_and_a_figure_open_exactly_the_cases_behind_them(open_page, demo):
    page, url = open_page("en")
    log_in(page, url, "supervisor1")
    page.goto(url + "/reports/")
    drawn_charts(page)

    # a figure of the backlog's table: the open cases of its state and age
    cell = page.locator("#chart-backlog tbody tr").first.locator("td").nth(1).locator("a")
    expected = int(cell.inner_text())
    cell.click()
    page.wait_for_url(re.compile(r"/reports/cases/\?"))
    assert int(page.locator(".behind-count").get_attribute("data-count")) == expected
    assert page.locator("table.queue tbody tr").count() == min(expected, 50)

    # a bar of the weekly resolution chart: the cases resolved that week
    page.goto(url + "/reports/")
    drawn_charts(page)
    rows = page.locator("#chart-resolution tbody tr")
    last = rows.nth(rows.count() - 1)
    week, resolved = last.locator("td").nth(0).inner_text(), int(
        last.locator("td").nth(1).inner_text())
    box = page.locator("#chart-resolution .chart").bounding_box()
    x, y = page.evaluate("""(name) => {
        const el = document.querySelector('#chart-resolution .chart');
        const chart = echarts.getInstanceByDom(el);
        const spec = JSON.parse(document.getElementById('chart-data-resolution').textContent);
        const week = spec.categories.indexOf(name);
        const cases = spec.series[0].values[week];
        return chart.convertToPixel({xAxisIndex: 0, yAxisIndex: 1}, [week, cases / 2]);
    }""", week)
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(re.compile(r"/reports/cases/\?.*figure=resolution-time"))
    assert int(page.locator(".behind-count").get_attribute("data-count")) == resolved
