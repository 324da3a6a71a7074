"""Who a user is at work: their groups (agent, supervisor) and their shops, read once per user object,
and the one shop an API token limits them to. Plumbing every app reads (the case rules in
cases/permissions.py, the bell's supervisor pages, a person's notifications through a token)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

AGENT = "agent"
SUPERVISOR = "supervisor"


def roles_of(user: Any) -> tuple[frozenset[str], frozenset[int]]:
    """The user's groups and shop ids, loaded once per user object."""
    cached = getattr(user, "_case_roles", None)
    if cached is None:
        if not user.is_authenticated:
            cached = (frozenset(), frozenset())
        else:
            # one query: a row per (group, shop) pair, few for anyone (NULL where none)
            pairs = get_user_model()._default_manager.filter(pk=user.pk).values_list(
                "groups__name", "shops__id")
            cached = (frozenset(group for group, _shop in pairs if group is not None),
                      frozenset(shop for _group, shop in pairs if shop is not None))
        user._case_roles = cached
    return cached


def shop_scope(user: Any) -> frozenset[int] | None:
    """The shops this user object is limited to (an API token's one shop); None: not limited.

    `roles_of` already cuts the shop list down for every rule; this is for reads that are about a
    shop without being a permission check, such as a person's notifications.
    """
    return getattr(user, "_shop_scope", None)
