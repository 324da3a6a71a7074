"""Building the demo data through the services, and its summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from cases import services
from cases.deadlines import DEFAULT_DEADLINES
from cases.demo.stories import PASSWORD, SHOP_CODE, SHOP_NAME, SHOP_TIME_ZONE, STAFF, CasePlan, SeedError
from cases.models import Case, ClosedAs, Kind, Shop, State, TimelineEvent
from cases.models.dispute import BEFORE_RESOLUTION

# --- building ----------------------------------------------------------------------------------


def ensure_staff() -> tuple[Shop, dict[str, Any]]:
    """The demo shop and its logins (password `demo`), roles and memberships, fixed on every run."""
    shop, _ = Shop.objects.update_or_create(
        code=SHOP_CODE, defaults={"name": SHOP_NAME, "time_zone": SHOP_TIME_ZONE}
    )
    user_model = get_user_model()
    for username, (group_name, is_staff, is_superuser, member) in STAFF.items():
        user = user_model.objects.filter(username=username).first() or user_model(username=username)
        user.set_password(PASSWORD)
        user.is_active = True
        user.is_staff = is_staff
        user.is_superuser = is_superuser
        user.save()
        if group_name is not None:
            user.groups.set([Group.objects.get_or_create(name=group_name)[0]])
        if member:
            shop.members.add(user)
    users = {u.username: u for u in user_model.objects.filter(username__in=list(STAFF))}
    return shop, users


QUIET_HOURS = (time(22, 0), time(8, 0))
NO_QUIET_HOURS = (time(0, 0), time(0, 0))


@contextmanager
def quiet_hours_lifted(shop: Shop) -> Iterator[None]:
    """The demo's follow-up calls happened in the past, at daytime; seeding may run at night.

    The shop's quiet hours are off while the demo cases are built and set to 22:00–08:00 after.
    """
    Shop.objects.filter(pk=shop.pk).update(quiet_hours_start=NO_QUIET_HOURS[0],
                                           quiet_hours_end=NO_QUIET_HOURS[1])
    try:
        yield
    finally:
        Shop.objects.filter(pk=shop.pk).update(quiet_hours_start=QUIET_HOURS[0],
                                               quiet_hours_end=QUIET_HOURS[1])


def build_case(plan: CasePlan, users: dict[str, Any], now: datetime) -> bool:
    """Open the case and walk it through its steps in one transaction: complete or not at all.

    Returns False when the case was there already.
    """
    with transaction.atomic():
        case, created = services.open_case(by=None, data=plan.payload)
        if not created:
            return False
        for step in plan.steps:
            by = users[step.by] if step.by is not None else None
            if step.action == "claim":
                services.claim_case(case_id=case.pk, by=by)
            elif step.action == "contact":
                services.log_contact(case_id=case.pk, by=by, data=step.data)
            else:
                services.run_transition(case_id=case.pk, name=step.action, by=by, data=step.data)
        case = Case.objects.get(pk=case.pk)
        if case.state != plan.expected_state:
            raise SeedError(f"ended {case.state}, expected {plan.expected_state}")
        _move_into_the_past(case, plan, now)
    return True


def _move_into_the_past(case: Case, plan: CasePlan, now: datetime) -> None:
    """Shift the case's own times back to when the plan says they happened (one update)."""
    opened = now - plan.age
    shift = opened - case.opened_at

    def last(*actions: str) -> datetime | None:
        times = [opened + offset for step, offset in zip(plan.steps, plan.offsets, strict=True)
                 if step.action in actions]
        return times[-1] if times else None

    first_reply = next((opened + offset for step, offset in zip(plan.steps, plan.offsets,
                                                                  strict=True)
                        if step.action == "acknowledge"), None)
    changes: dict[str, datetime | None] = {"opened_at": opened}
    for name in ("first_response_due_at", "resolution_due_at"):
        due = getattr(case, name)
        if due is not None:
            changes[name] = due + shift
    restarted = last("hand_over", "reopen")
    if restarted is not None:  # a hand-over or a reopen restarts the resolution clock
        changes["resolution_due_at"] = restarted + DEFAULT_DEADLINES[case.kind][1]
    planned = {"first_responded_at": first_reply, "calmed_at": last("calm"),
               "resolved_at": last("accept"), "closed_at": last("close", "withdraw"),
               "escalated_at": last("escalate")}
    for name, when in planned.items():
        if getattr(case, name) is not None and when is not None:
            changes[name] = when
    Case.objects.filter(pk=case.pk).update(**changes)



def summary(shop: Shop, now: datetime) -> list[str]:
    """How many cases the shop has in each state and kind, and the logins."""
    cases = Case.objects.filter(shop=shop)
    by_state = Counter(cases.values_list("state", flat=True))
    by_kind = Counter(cases.values_list("kind", flat=True))
    closed_as = Counter(cases.filter(state=State.CLOSED).values_list("closed_as", flat=True))
    notes = {
        State.NEW: f"{cases.filter(state=State.NEW, assignee=None).count()} unassigned",
        State.CLOSED: f"{closed_as[ClosedAs.RESOLVED]} resolved, "
                      f"{closed_as[ClosedAs.WITHDRAWN]} withdrawn",
        State.ESCALATED: f"{cases.filter(state=State.ESCALATED, assignee=None).count()} unassigned",
    }
    handed = TimelineEvent.objects.filter(case__shop=shop, type="hand_over")
    reopened = TimelineEvent.objects.filter(case__shop=shop, type="reopen")
    overdue = cases.filter(Q(state=State.NEW, first_response_due_at__lt=now)
                           | Q(state__in=BEFORE_RESOLUTION, resolution_due_at__lt=now)).count()
    lines = [f"Shop {shop.code} ({shop.name}): {cases.count()} cases"]
    for state in State.values:
        note = f"  ({notes[state]})" if state in notes else ""
        lines.append(f"  {state:<13} {by_state[state]:>4}{note}")
    lines.append("  by kind: " + ", ".join(f"{k} {by_kind[k]}" for k in Kind.values))
    lines.append(f"  {handed.values('case').distinct().count()} handed over, "
                 f"{reopened.values('case').distinct().count()} reopened, {overdue} open cases "
                 "past a deadline (the worker's escalation sweep escalates those)")
    lines.append(f"Log in as agent1, agent2, supervisor1 (admin site) or admin (superuser); "
                 f"the password is: {PASSWORD}")
    return lines
