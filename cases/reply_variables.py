"""The variables a quick reply (快捷短语) may carry, filled for one case by the server.

A message is never sent with one of these left in it: `unfilled(body)` names what is left.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

# name → what it is filled with (shown to supervisors writing a quick reply).
VARIABLES = {
    "buyer": _("the buyer's name, or their marketplace handle"),
    "order": _("the order number"),
    "amount": _("the agreed amount, or the amount paid, with its currency"),
    "remedy": _("the remedy proposed or agreed"),
    "deadline": _("the next deadline, in the shop's time"),
    "agent": _("the agent's name"),
    "shop": _("the shop's name"),
}
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders(body: str) -> list[str]:
    """Every `{name}` in the text, in order, once each."""
    return list(dict.fromkeys(PLACEHOLDER.findall(body)))


def unknown(body: str) -> list[str]:
    """The `{name}`s that are not variables (refused when a quick reply is saved)."""
    return [name for name in placeholders(body) if name not in VARIABLES]


def unfilled(body: str) -> list[str]:
    """The variables still in a message (it cannot be sent until each is filled or removed)."""
    return [name for name in placeholders(body) if name in VARIABLES]
