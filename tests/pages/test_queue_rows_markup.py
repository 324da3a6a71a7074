"""The queue's rows, written by one function instead of the template engine, escape what they show
and keep the markup the page's script and styles read."""

from __future__ import annotations

from django.template import Context, Template

ROW = {
    "id": 7, "url": "/cases/7/", "kind": "Refund", "state": "acknowledged",
    "state_label": "Acknowledged", "buyer": "<b>buyer</b>", "order": "A&B-1",
    "preview": 'said "no" <script>', "age": "2 d 4 h", "amount": "¥128.00", "assignee": "agent1",
    "assignee_name": "agent1",
    "deadline": "first response", "rule": "", "left": "3 h", "due": "2026-12-03 15:00",
    "urgency": "soon", "claim_url": "/cases/7/claim/",
}


def render(rows: list[dict], bulk: bool, token: str = "t0ken") -> str:
    return Template("{% load queue_rows %}{% queue_rows rows bulk %}").render(
        Context({"rows": rows, "bulk": bulk, "csrf_token": token}))


def test_what_buyers_wrote_is_escaped_never_markup():
    html = render([ROW], bulk=False)

    assert "<b>buyer</b>" not in html and "&lt;b&gt;buyer&lt;/b&gt;" in html
    assert "<script>" not in html and "said &quot;no&quot; &lt;script&gt;" in html
    assert ">A&amp;B-1<" in html


def test_a_row_keeps_its_cells_urgency_link_and_claim_form():
    html = render([ROW], bulk=False)

    assert '<tr class="soon">' in html and '<a href="/cases/7/" class="open">7</a>' in html
    assert '<span title="2026-12-03 15:00"><small>first response</small> 3 h</span>' in html
    assert ('<form method="post" action="/cases/7/claim/" class="inline claim">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="t0ken">') in html
    assert 'name="ids"' not in html


def test_the_supervisors_rows_have_a_check_box_each_and_no_claim_when_taken():
    html = render([{**ROW, "claim_url": "", "left": ""}], bulk=True)

    assert '<input type="checkbox" name="ids" value="7" form="bulk" aria-label="Select case 7">' in html
    assert "claim" not in html and '<td class="left">—</td>' in html


def test_no_rows_write_nothing():
    assert render([], bulk=True) == ""
