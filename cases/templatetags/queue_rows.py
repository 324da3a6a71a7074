"""The queue's rows, written by one Python function instead of ~20 template nodes per row.

Rendering 50 rows through the template engine was most of the queue page's CPU time: each value
looked up, localized and escaped node by node (docs/performance.md, "Under load"). The rows are
already text (cases/pages/queue.py, queue_rows); this only places and escapes them, with the same
markup the template had.
"""

from __future__ import annotations

from html import escape as _escape
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


def escape(value: Any) -> str:
    """What the template wrote for `{{ value }}` (conditional_escape), without Django's check for
    lazy text on every call."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(str(value))


@register.simple_tag(takes_context=True)
def queue_rows(context: template.Context, rows: list[dict[str, Any]], bulk: bool) -> SafeString:
    """`{% queue_rows rows bulk %}`: the table's rows, a check box each when `bulk`."""
    token = context.get("csrf_token")
    csrf = ("" if not token or str(token) == "NOTPROVIDED" else
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">')
    claim = escape(gettext("Claim"))
    # Every value was escaped above.
    return mark_safe("".join(_row(row, bulk, csrf, claim) for row in rows))


def _row(row: dict[str, Any], bulk: bool, csrf: str, claim: str) -> str:
    e = {key: escape(value) for key, value in row.items()}
    pick = ""
    if bulk:
        label = escape(gettext("Select case %(id)s") % {"id": row["id"]})
        pick = (f'<td class="pick"><input type="checkbox" name="ids" value="{e["id"]}" form="bulk" '
                f'aria-label="{label}"></td>')
    preview = (f'<span class="preview" translate="no" title="{e["preview"]}">{e["preview"]}</span>'
               if row["preview"] else "")
    if row.get("threats"):  # few rows: the badges' own template
        preview += render_to_string("pages/threat_badges.html", {"threats": row["threats"]})
    if row["left"]:
        rule = f'{e["rule"]} · ' if row["rule"] else ""
        left = (f'<span title="{rule}{e["due"]}"><small>{e["deadline"]}</small> '
                f'{e["left"]}</span>')
    else:
        left = "—"
    action = (f'<form method="post" action="{e["claim_url"]}" class="inline claim">{csrf}'
              f'<button type="submit">{claim}</button></form>' if row["claim_url"] else "")
    return (
        f'\n    <tr class="{e["urgency"]}">\n'
        f'      {pick}\n'
        f'      <td><a href="{e["url"]}" class="open">{e["id"]}</a></td>\n'
        f'      <td>{e["kind"]}</td>\n'
        f'      <td><span class="state state-{e["state"]}">{e["state_label"]}</span></td>\n'
        f'      <td class="who-what"><span translate="no">{e["buyer"]}</span>{preview}</td>\n'
        f'      <td translate="no" class="order">{e["order"]}</td>\n'
        f'      <td class="number">{e["amount"]}</td>\n'
        f'      <td translate="no" class="assignee" data-case="{e["id"]}" '
        f'data-name="{e["assignee_name"]}">{e["assignee"]}</td>\n'
        f'      <td class="age">{e["age"]}</td>\n'
        f'      <td class="left">{left}</td>\n'
        f'      <td>{action}</td>\n'
        f'    </tr>\n  ')
