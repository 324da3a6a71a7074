"""The case page's timeline and conversation, written by Python (cases/templatetags/case_rows.py),
are the markup the template wrote, escape what people typed, and speak the reader's language."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from cases.templatetags.case_rows import thread_items, timeline_items

# The page's loops as the template had them, kept to hold the Python to the same markup.
TIMELINE_AS_TEMPLATE = (
    "{% load i18n %}"
    '{% for event in timeline %}<li{% if event.transition %} class="step"{% endif %}>'
    '<time>{{ event.at }}</time> <strong>{{ event.type }}</strong> · '
    '<span translate="no">{{ event.actor }}</span>{% if event.change %} · '
    '<span class="muted">{{ event.change }}</span>{% endif %}{% if event.text %}'
    '<div class="pre">{{ event.text }}</div>{% endif %}{% if event.written %}'
    '<div class="pre" translate="no">{{ event.written }}</div>{% endif %}\n        '
    '{% for hit in event.hits %}<div class="hit-note" role="note">⚠ '
    '{% blocktranslate with phrase=hit.phrase suggestion=hit.suggestion %}'
    '“{{ phrase }}”: say instead “{{ suggestion }}”.'
    '{% endblocktranslate %}</div>{% endfor %}</li>\n      {% endfor %}')
THREAD_AS_TEMPLATE = (
    "{% load i18n %}"
    '{% for row in thread %}{% if row.kind == "marker" %}<li class="marker">'
    '<span>{{ row.label }}{% if row.actor %} · <span translate="no">{{ row.actor }}</span>'
    '{% endif %} · <time>{{ row.at }}</time></span></li>\n      {% else %}'
    '<li class="bubble {{ row.side }}{% if row.kind == \'call\' %} call'
    '{% endif %}">\n        '
    '<div class="meta"><strong translate="no">{{ row.author }}</strong> · {{ row.channel }}'
    '{% if row.outcome %} · {{ row.outcome }}{% endif %} · <time>{{ row.at }}</time>'
    '{% if row.delivery %} · '
    '<span class="delivery {{ row.delivery }}">{{ row.delivery_label }}</span>'
    '{% endif %}</div>\n        {% if row.body %}'
    '<div class="pre" translate="no">{{ row.body }}</div>{% endif %}\n        '
    '{% for hit in row.hits %}<div class="hit-note" role="note">⚠ '
    '{% blocktranslate with phrase=hit.phrase suggestion=hit.suggestion %}'
    '“{{ phrase }}”: say instead “{{ suggestion }}”.'
    '{% endblocktranslate %}</div>{% endfor %}\n      </li>{% endif %}{% empty %}'
    '<li class="empty">{% translate "No message with the buyer yet." %}</li>{% endfor %}')

HIT = {"phrase": "<b>不可能</b>", "suggestion": "我们核实 & 回复"}
TIMELINE = [
    {"transition": True, "at": "2026-12-01 10:00", "type": "Acknowledge", "actor": "agent1",
     "change": "New → Acknowledged", "text": "", "written": "我们已经收到 <script>", "hits": [HIT]},
    {"transition": False, "at": "2026-12-01 11:00", "type": "Message sent", "actor": "system",
     "change": "", "text": "Survey sent", "written": "", "hits": []},
    {"transition": False, "at": "2026-12-01 12:00", "type": "Note", "actor": 'a"b',
     "change": "", "text": "", "written": "", "hits": [HIT, HIT]},
]
THREAD = [
    {"kind": "marker", "at": "12-01 10:00", "label": "Acknowledged", "actor": "agent1"},
    {"kind": "marker", "at": "12-01 10:05", "label": "Escalated", "actor": ""},
    {"kind": "step", "side": "shop", "at": "12-01 10:00", "author": "agent1",
     "channel": "Acknowledge", "body": "您好 <亲>", "hits": [HIT]},
    {"kind": "message", "side": "buyer", "at": "12-01 10:10", "author": "buyer_1",
     "channel": "Chat", "outcome": "", "body": "Where is my parcel? <b>", "hits": [],
     "delivery": "", "delivery_label": ""},
    {"kind": "call", "side": "shop", "at": "12-01 10:20", "author": "agent1", "channel": "Phone",
     "outcome": "No answer", "body": "", "hits": [], "delivery": "", "delivery_label": ""},
    {"kind": "message", "side": "shop", "at": "12-01 10:30", "author": "agent1",
     "channel": "Chat", "outcome": "", "body": "We are checking it.", "hits": [HIT],
     "delivery": "failed", "delivery_label": "Not delivered"},
]


def as_template(source: str, **values) -> str:
    return Template(source).render(Context(values))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_timeline_is_the_markup_the_template_wrote(language):
    with translation.override(language):
        assert timeline_items(TIMELINE) == as_template(TIMELINE_AS_TEMPLATE, timeline=TIMELINE)
        assert timeline_items([]) == as_template(TIMELINE_AS_TEMPLATE, timeline=[])


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_conversation_is_the_markup_the_template_wrote(language):
    with translation.override(language):
        assert thread_items(THREAD) == as_template(THREAD_AS_TEMPLATE, thread=THREAD)
        assert thread_items([]) == as_template(THREAD_AS_TEMPLATE, thread=[])


def test_what_people_typed_is_escaped_never_markup():
    html = timeline_items(TIMELINE) + thread_items(THREAD)

    assert "<script>" not in html and "<b>" not in html and "<亲>" not in html
    assert "我们已经收到 &lt;script&gt;" in html and "&lt;b&gt;不可能&lt;/b&gt;" in html
    assert 'a&quot;b' in html and "我们核实 &amp; 回复" in html


def test_a_phrase_warning_speaks_the_reader_s_language():
    with translation.override("zh-hans"):
        html = thread_items(THREAD)

    assert "say instead" not in html
