"""The queue's filter form is written by Python (cases/pages/queue_filters.py, Rendered) with the
markup Django's widget templates write: selected options, typed text, marks and signs included."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.http import QueryDict

from cases.pages.queue_filters import QueueFilter, Rendered

SHOPS = [("demo", "Demo shop"), ("x&y", "<X & Y>")]


def written(query: str) -> list[str]:
    form = QueueFilter(QueryDict(query) or None, shops=SHOPS)
    form.is_valid()
    # (the templates' line breaks between options mean nothing in HTML)
    return [re.sub(r">\s+<", "><", str(field)) for field in form]


@pytest.mark.parametrize("query", [
    "",
    "kind=refund&state=new&shop=demo&q=tea_lover",
    "q=%22%3Cb%3E%26%27&shop=x%26y",
    "assignee=agent2&flagged=1",
    "breached=maybe&kind=nonsense",
])
def test_every_field_is_written_as_djangos_templates_write_it(db, monkeypatch, query):
    by_python = written(query)
    monkeypatch.setattr(Rendered, "_render", forms.Widget._render)
    by_templates = written(query)

    assert by_python == by_templates
