"""Who a user is at work: their groups (agent, supervisor) and their shops, read once per user object,
and the one shop an API token limits them to. Plumbing every app reads (the case rules in
cases/permissions.py, the bell's supervisor pages, a person's notifications through a token)."""

from __future__ import annotations

from typing import Any

AGENT = "agent"
SUPERVISOR = "supervisor"


def roles_of(user: Any) -> tuple[frozenset[str], frozenset[int]]:
    """The user's groups and shop ids, loaded once per user object."""
    cached = getattr(user, "_case_roles", None)
    if cached is None:
        if not user.is_authenticated:
            cached = (frozenset(), frozenset())
        else:
            groups = frozenset(user.groups.values_list("name", flat=True))
            shop_ids = frozenset(user.shops.values_list("id", flat=True))
            cached = (groups, shop_ids)
        user._case_roles = cached
    return cached


def shop_scope(user: Any) -> frozenset[int] | None:
    """The shops this user object is limited to (an API token's one shop); None: not limited.

    `roles_of` already cuts the shop list down for every rule; this is for reads that are about a
    shop without being a permission check, such as a person's notifications.
    """
    return getattr(user, "_shop_scope", None)
