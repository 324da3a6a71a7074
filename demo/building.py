"""Building the demo data through the services, and its summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from cases import services
from cases.models import (
    ApiToken,
    Case,
    ClosedAs,
    Kind,
    Outcome,
    Shop,
    State,
    TimelineEvent,
    token_digest,
)
from cases.services import create_api_token
from demo.quick_replies import use_quick_reply
from demo.stories import (
    PASSWORD,
    SHOP_CODE,
    SHOP_NAME,
    SHOP_PLATFORM,
    SHOP_TIME_ZONE,
    STAFF,
    CasePlan,
    SeedError,
)
from demo.story_clock import story_clock
from demo.surveys import answer_if_the_buyer_did
from demo.threats import threat_before
from notifications.models import Notification
from notifications.services import mark_read
from reviews.models import Review

# --- building ----------------------------------------------------------------------------------


def ensure_staff() -> tuple[Shop, dict[str, Any]]:
    """The demo shop and its logins (password `demo`), roles and memberships, fixed on every run."""
    shop, _ = Shop.objects.update_or_create(
        code=SHOP_CODE, defaults={"name": SHOP_NAME, "time_zone": SHOP_TIME_ZONE,
                                  "platform": SHOP_PLATFORM,
                                  # demo only: the secret docs/api.md's webhook example signs with
                                  "webhook_secret": "demo-webhook-secret"}
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


DEMO_API_TOKEN = "demo-api-token"  # demo only: the curl examples of docs/api.md send it
INTEGRATION_USER = "demo-integration"


def ensure_api_token(shop: Shop) -> None:
    """The demo's integration account (no password: it logs in only by token) and its token."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=INTEGRATION_USER).first()
    if user is None:
        user = user_model(username=INTEGRATION_USER, first_name="Demo integration")
        user.set_unusable_password()
        user.save()
        user.groups.set([Group.objects.get_or_create(name="supervisor")[0]])
        shop.members.add(user)
    if not ApiToken.objects.filter(digest=token_digest(DEMO_API_TOKEN)).exists():
        create_api_token(shop=shop, user=user, name="Demo integration (demo only)", by=None,
                         raw=DEMO_API_TOKEN)


# Where a step's message goes: the data field a quick reply fills.
MESSAGE_FIELD = {"contact": "body"}

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

    Each step runs with the clock at the moment the story says it happened, and the worker's
    escalations and reminders in between run at theirs (demo/story_clock.py), up to `now`.
    Returns False when the case was there already.
    """
    opened = now - plan.age
    with transaction.atomic(), story_clock(opened) as clock:
        case, created = services.open_case(by=None, data=plan.payload)
        if not created:
            return False
        for step, offset in zip(plan.steps, plan.offsets, strict=True):
            threat = threat_before(step)
            if threat is not None:  # the buyer's words that led to the escalation, before it
                clock.advance(case.pk, clock.now + (opened + offset - clock.now) / 2)
                services.log_contact(case_id=case.pk, by=None, data=threat)
            clock.advance(case.pk, opened + offset)
            by = users[step.by] if step.by is not None else None
            if step.action == "breach":
                continue  # the deadline passed: the clock's escalation did it
            if step.action == "claim":
                services.claim_case(case_id=case.pk, by=by)
                continue
            data = step.data
            if step.quick_reply:  # the agent filled the message from a quick reply
                data = {**data, MESSAGE_FIELD[step.action]: use_quick_reply(
                    case_id=case.pk, by=by, shortcut=step.quick_reply, language=step.language)}
            if step.action == "contact":
                services.log_contact(case_id=case.pk, by=by, data=data)
            else:
                services.run_transition(case_id=case.pk, name=step.action, by=by, data=data)
        answer_if_the_buyer_did(case.pk, plan.external_id, clock, now)
        clock.advance(case.pk, now)
        case = Case.objects.get(pk=case.pk)
        if case.state != plan.expected_state:
            raise SeedError(f"ended {case.state}, expected {plan.expected_state}")
        read_old_notifications(case.pk, now)
    return True


# The demo's staff read their notifications within a few hours; those of the last day are unread.
UNREAD_FOR = timedelta(days=1)


def read_old_notifications(case_id: int, now: datetime) -> None:
    """Each notification about the case older than UNREAD_FOR is marked read by its recipient, an
    hour or so after it came (through the inbox's own service, under the story's clock)."""
    old = Notification.objects.filter(case_id=case_id, read_at=None,
                                      created_at__lt=now - UNREAD_FOR).select_related("recipient")
    for notification in old:
        with time_machine.travel(notification.created_at + READ_AFTER, tick=False):
            mark_read(notification_id=notification.pk, by=notification.recipient)


READ_AFTER = timedelta(minutes=50)


DISPUTE_STATES = (State.NEW, State.ACKNOWLEDGED, State.CALMED, State.UNDERSTOOD, State.PROPOSED,
                  State.RESOLVED, State.CLOSED, State.ESCALATED)
REVIEW_STATES = (State.NEW, State.CALMED, State.UNDERSTOOD, State.REMEDIED,
                 State.REVISION_REQUESTED, State.REVISED, State.REPLIED, State.CLOSED,
                 State.ESCALATED)


def summary(shop: Shop, now: datetime) -> list[str]:
    """How many cases the shop has in each state and kind, and the logins."""
    cases = Case.objects.filter(shop=shop)
    disputes = cases.exclude(kind=Kind.NEGATIVE_REVIEW)
    by_kind = Counter(cases.values_list("kind", flat=True))
    closed_as = Counter(disputes.filter(state=State.CLOSED).values_list("closed_as", flat=True))
    notes = {
        State.NEW: f"{disputes.filter(state=State.NEW, assignee=None).count()} unassigned",
        State.CLOSED: f"{closed_as[ClosedAs.RESOLVED]} resolved, "
                      f"{closed_as[ClosedAs.WITHDRAWN]} withdrawn",
        State.ESCALATED: f"{disputes.filter(state=State.ESCALATED, assignee=None).count()} "
                         "unassigned",
    }
    handed = TimelineEvent.objects.filter(case__shop=shop, type="hand_over")
    reopened = TimelineEvent.objects.filter(case__shop=shop, type="reopen")
    overdue = cases.filter(next_due_at__lt=now).count()
    lines = [f"Shop {shop.code} ({shop.name}): {cases.count()} cases"]
    lines.append(f"  disputes: {disputes.count()}")
    lines += _state_lines(disputes, DISPUTE_STATES, notes)
    lines.append(f"  negative reviews (中差评): {by_kind[Kind.NEGATIVE_REVIEW]}")
    lines += _state_lines(cases.filter(kind=Kind.NEGATIVE_REVIEW), REVIEW_STATES,
                          _review_notes(shop))
    lines.append("  by kind: " + ", ".join(f"{k} {by_kind[k]}" for k in Kind.values))
    lines.append(f"  {handed.values('case').distinct().count()} handed over, "
                 f"{reopened.values('case').distinct().count()} reopened, {overdue} open cases "
                 "past a deadline (escalated then, or a follow-up call overdue)")
    lines.append(f"Log in as agent1, agent2, supervisor1 (admin site) or admin (superuser); "
                 f"the password is: {PASSWORD}")
    return lines


def _state_lines(cases: Any, states: tuple[str, ...], notes: dict[str, str]) -> list[str]:
    by_state = Counter(cases.values_list("state", flat=True))
    lines = []
    for state in states:
        note = f"  ({notes[state]})" if notes.get(state) else ""
        lines.append(f"    {state:<18} {by_state[state]:>4}{note}")
    return lines


def _review_notes(shop: Shop) -> dict[str, str]:
    reviews = Review.objects.filter(shop=shop, case__isnull=False)
    new = reviews.filter(case__state=State.NEW)
    closed = reviews.filter(case__state=State.CLOSED)
    failed_call = new.filter(case__contacts__outcome=Outcome.NO_ANSWER).distinct().count()
    ratings = Counter(reviews.exclude(revised_rating=None).values_list("revised_rating", flat=True))
    no_contact = reviews.exclude(public_reply="").filter(customer__do_not_contact=True).count()
    escalated = reviews.filter(case__state=State.ESCALATED, case__assignee=None).count()
    return {
        State.NEW: f"{new.filter(case__assignee=None).count()} unassigned, {failed_call} after a "
                   "failed call",
        State.REVISED: "revised ratings so far: "
                       + ", ".join(f"{r}★ ×{n}" for r, n in sorted(ratings.items())),
        State.REPLIED: f"{no_contact} public replies in all to buyers who asked not to be "
                       "contacted",
        State.CLOSED: f"{closed.exclude(revised_rating=None).count()} revised, "
                      f"{closed.filter(revised_rating=None).count()} answered publicly",
        State.ESCALATED: f"{escalated} unassigned",
    }
