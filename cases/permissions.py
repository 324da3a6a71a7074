"""Who may do what with a case: the one place for object permissions (the `rules` package).

Agents work the cases assigned to them and the unassigned cases of their shops (acting on an
unassigned case takes it); supervisors every case of their shops; superusers everything. Any agent
or supervisor of a shop may read every case of that shop (a teammate's too: buyer details masked,
no actions); the lists show the cases a user works (`cases.work_case`).

Each rule that decides which cases a user may open or list has its queryset twin in
cases/selectors.py (`readable_by` for `cases.see_case`, `visible_to` for `cases.work_case`).
"""

from __future__ import annotations

from typing import Any

import rules

from config.roles import AGENT, SUPERVISOR, roles_of, shop_scope  # noqa: F401  (roles: config/roles.py)


@rules.predicate
def is_admin(user: Any) -> bool:
    return bool(user.is_active and user.is_superuser)


@rules.predicate
def is_shop_supervisor(user: Any, case: Any) -> bool:
    groups, shop_ids = roles_of(user)
    return SUPERVISOR in groups and case.shop_id in shop_ids


@rules.predicate
def is_shop_agent(user: Any, case: Any) -> bool:
    groups, shop_ids = roles_of(user)
    return AGENT in groups and case.shop_id in shop_ids


@rules.predicate
def is_assignee(user: Any, case: Any) -> bool:
    return case.assignee_id is not None and case.assignee_id == user.id


@rules.predicate
def is_unassigned(user: Any, case: Any) -> bool:
    return case.assignee_id is None


@rules.predicate
def is_staff_of_shop(user: Any, shop: Any) -> bool:
    groups, shop_ids = roles_of(user)
    return bool(groups & {AGENT, SUPERVISOR}) and shop.id in shop_ids


@rules.predicate
def supervises_shop(user: Any, shop: Any) -> bool:
    groups, shop_ids = roles_of(user)
    return SUPERVISOR in groups and shop.id in shop_ids


may_work_case = is_admin | is_shop_supervisor | (is_shop_agent & (is_assignee | is_unassigned))

may_read_case = is_admin | is_shop_supervisor | is_shop_agent

rules.add_perm("cases.see_case", may_read_case)
rules.add_perm("cases.work_case", may_work_case)
rules.add_perm("cases.claim_case", (is_shop_agent | is_shop_supervisor) & is_unassigned)
rules.add_perm("cases.hand_over_case", is_admin | is_shop_supervisor)
# A refund above the shop's limits (cases/approval.py): its supervisors approve, never an agent.
rules.add_perm("cases.approve_remedy", is_admin | is_shop_supervisor)
rules.add_perm("cases.open_case_in_shop", is_admin | is_staff_of_shop)
rules.add_perm("cases.assign_in_shop", is_admin | supervises_shop)
# Unmasking a buyer's phone or address (logged): the case's own agent, supervisors, admins.
rules.add_perm("cases.reveal_pii", is_admin | is_shop_supervisor | (is_shop_agent & is_assignee))
# Quick replies (快捷短语), per shop: its supervisors write them, its staff use them.
rules.add_perm("cases.manage_canned_replies", is_admin | supervises_shop)
rules.add_perm("cases.use_canned_replies", is_admin | is_staff_of_shop)


def may_work(case: Any, user: Any) -> bool:
    """django-fsm `permission=` callable (instance first)."""
    return user.has_perm("cases.work_case", case)


def may_hand_over(case: Any, user: Any) -> bool:
    return user.has_perm("cases.hand_over_case", case)


def may_approve(case: Any, user: Any) -> bool:
    return user.has_perm("cases.approve_remedy", case)
