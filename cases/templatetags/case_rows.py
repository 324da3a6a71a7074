"""The case page's timeline and conversation, written by one Python function each instead of the
template engine's loop: a 200-event timeline or a 200-message thread cost the page more in template
nodes than everything else on it (docs/performance.md). The rows are already text
(cases/pages/console.py: timeline_rows, thread_rows); this only places and escapes them, with the
markup the template had (tests/pages/test_case_rows_markup.py renders both and compares).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cases.templatetags.queue_rows import escape

register = template.Library()


def _hits(hits: list[dict[str, Any]]) -> str:
    """The phrase warnings of a step or a message, as `{% blocktranslate %}` wrote them."""
    if not hits:
        return ""
    said = gettext("“%(phrase)s”: say instead “%(suggestion)s”.")
    return "".join(
        '<div class="hit-note" role="note">⚠ '
        + said % {"phrase": escape(hit["phrase"]), "suggestion": escape(hit["suggestion"])}
        + "</div>" for hit in hits)


def _event(e: dict[str, Any]) -> str:
    step = ' class="step"' if e["transition"] else ""
    change = f' · <span class="muted">{escape(e["change"])}</span>' if e["change"] else ""
    text = f'<div class="pre">{escape(e["text"])}</div>' if e["text"] else ""
    written = f'<div class="pre" translate="no">{escape(e["written"])}</div>' if e["written"] else ""
    return (f'<li{step}><time>{escape(e["at"])}</time> <strong>{escape(e["type"])}</strong> · '
            f'<span translate="no">{escape(e["actor"])}</span>{change}{text}{written}\n'
            f'        {_hits(e["hits"])}</li>\n      ')


@register.simple_tag
def timeline_items(timeline: list[dict[str, Any]]) -> SafeString:
    """`{% timeline_items timeline %}`: the timeline's list items, oldest first."""
    return mark_safe("".join(_event(e) for e in timeline))  # every value escaped above


def _marker(row: dict[str, Any]) -> str:
    actor = f' · <span translate="no">{escape(row["actor"])}</span>' if row["actor"] else ""
    return (f'<li class="marker"><span>{escape(row["label"])}{actor} · '
            f'<time>{escape(row["at"])}</time></span></li>\n      ')


def _bubble(row: dict[str, Any]) -> str:
    call = " call" if row["kind"] == "call" else ""
    # A step's words to the buyer (acknowledge) have no outcome and no delivery of their own.
    outcome = f' · {escape(row["outcome"])}' if row.get("outcome") else ""
    delivery = (f' · <span class="delivery {escape(row["delivery"])}">'
                f'{escape(row.get("delivery_label", ""))}</span>' if row.get("delivery") else "")
    body = f'<div class="pre" translate="no">{escape(row["body"])}</div>' if row["body"] else ""
    return (f'<li class="bubble {escape(row["side"])}{call}">\n'
            f'        <div class="meta"><strong translate="no">{escape(row["author"])}</strong> · '
            f'{escape(row["channel"])}{outcome} · <time>{escape(row["at"])}</time>{delivery}</div>\n'
            f'        {body}\n'
            f'        {_hits(row["hits"])}\n'
            f'      </li>')


@register.simple_tag
def thread_items(thread: list[dict[str, Any]]) -> SafeString:
    """`{% thread_items thread %}`: the conversation's list items (steps as quiet markers between
    the messages), or the line that says there is none yet."""
    if not thread:
        return mark_safe(f'<li class="empty">{escape(gettext("No message with the buyer yet."))}'
                         "</li>")
    return mark_safe("".join(_marker(row) if row["kind"] == "marker" else _bubble(row)
                             for row in thread))  # every value escaped above
