"""A case's reminders follow its deadlines: made, moved and cancelled in the transaction that changes
them. (Notifications claims and delivers them; what they say and who hears them: reminder_subject.py.)

`sync_case_reminders(case)` is called wherever a case's deadlines change (opening, transitions,
contacts, pauses). It is idempotent: each reminder has a key made of its case, kind, deadline and
the deadline's time, so scheduling twice makes one row, and a reminder whose deadline moved or was
met is cancelled, not sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from cases import deadlines
from cases.deadlines import Clock, Deadline
from cases.models import Case, Contact, State, TimelineEvent
from notifications.enqueue import kick_sweep
from notifications.models import Audience, Reminder, ReminderKind, ReminderState

K = ReminderKind
# Deadlines whose breach escalates the case and tells the supervisors.
ESCALATING = frozenset({deadlines.FIRST_RESPONSE, deadlines.MARKETPLACE, deadlines.RESOLUTION})
# Kinds that sync_case_reminders owns (made from the case's deadlines).
FROM_DEADLINES = frozenset({K.DEADLINE_WARNING, K.DEADLINE_BREACHED, K.FOLLOW_UP_DUE})


def key(case_id: int, kind: str, name: str, at: datetime) -> str:
    return f"case:{case_id}:{kind}:{name}:{at.astimezone(UTC):%Y%m%dT%H%M%S.%f}"


def reminders_for(case: Case, clock: Clock, now: datetime) -> list[Reminder]:
    """The reminders the case's running deadlines call for (unsaved)."""
    wanted: list[Reminder] = []

    def add(kind: str, deadline: Deadline, due_at: datetime, audience: str) -> None:
        wanted.append(Reminder(
            case_id=case.pk, kind=kind, deadline=deadline.name, deadline_at=deadline.due_at,
            audience=audience, due_at=due_at, created_at=now,
            idempotency_key=key(case.pk, kind, deadline.name, deadline.due_at),
        ))

    for deadline in deadlines.running(case):
        if deadline.name == deadlines.FOLLOW_UP:
            add(K.FOLLOW_UP_DUE, deadline, deadline.due_at, Audience.ASSIGNEE)
            continue
        if deadline.due_at > now:  # a warning for a deadline already passed is noise
            add(K.DEADLINE_WARNING, deadline, max(deadline.due_at - clock.warning_lead, now),
                Audience.ASSIGNEE)
        if deadline.name in ESCALATING:
            add(K.DEADLINE_BREACHED, deadline, deadline.due_at, Audience.ASSIGNEE_AND_SUPERVISORS)
    return wanted


def sync_case_reminders(case: Case, *, clock: Clock | None = None,
                        now: datetime | None = None) -> None:
    """Make the case's pending reminders match its deadlines (three queries at most).

    Reminders being delivered (claimed) are left alone: delivery checks again before sending.
    """
    now = now or timezone.now()
    closed = case.state == State.CLOSED
    clock = clock or (None if closed else deadlines.clock_for(case.shop, case.kind))
    wanted = {r.idempotency_key: r for r in ([] if closed else reminders_for(case, clock, now))}
    cancel, revive = [], []
    for pk, rkey, kind, state in Reminder.objects.filter(case_id=case.pk).values_list(
            "id", "idempotency_key", "kind", "state"):
        if rkey in wanted:
            if state == ReminderState.CANCELLED:
                revive.append(pk)
            wanted.pop(rkey)
        elif state == ReminderState.PENDING and (closed or kind in FROM_DEADLINES):
            cancel.append(pk)
    if cancel:
        Reminder.objects.filter(pk__in=cancel, state=ReminderState.PENDING).update(
            state=ReminderState.CANCELLED,
            outcome="case closed" if closed else "deadline met or moved")
    if revive:
        Reminder.objects.filter(pk__in=revive, state=ReminderState.CANCELLED).update(
            state=ReminderState.PENDING, outcome="")
    if wanted:
        Reminder.objects.bulk_create(wanted.values(), ignore_conflicts=True)


def schedule_for_new_cases(cases: Iterable[Case], clock: Clock) -> None:
    """The reminders of cases created in bulk (the review import): one INSERT for the batch."""
    now = timezone.now()
    Reminder.objects.bulk_create(
        [r for case in cases for r in reminders_for(case, clock, now)],
        ignore_conflicts=True, batch_size=2000,
    )


def schedule_retry_contact(case: Case, contact: Contact, due_at: datetime) -> None:
    """After a call nobody answered: call again at `due_at` (quiet hours and limits are checked
    again when it is due)."""
    Reminder.objects.bulk_create([Reminder(
        case_id=case.pk, kind=K.RETRY_CONTACT, audience=Audience.ASSIGNEE, due_at=due_at,
        idempotency_key=f"case:{case.pk}:retry_contact:{contact.pk}",
        data={"after_contact": contact.pk, "contact_at": contact.at.isoformat()},
    )], ignore_conflicts=True)


def schedule_contact_allowed(case: Case, due_at: datetime, *, asked_by: Any) -> None:
    """Someone asked to be reminded when the buyer may be contacted again (after quiet hours or
    the contact limit): the case's agent hears at `due_at` (limits are checked again then)."""
    Reminder.objects.bulk_create([Reminder(
        case_id=case.pk, kind=K.RETRY_CONTACT, audience=Audience.ASSIGNEE, due_at=due_at,
        idempotency_key=f"case:{case.pk}:contact_allowed:{due_at:%Y%m%d%H%M}",
        data={"asked_by": asked_by.get_username() if asked_by else ""},
    )], ignore_conflicts=True)


def notify_now(case: Case, kind: str, audience: str, *, event_id: int,
               data: dict[str, Any] | None = None) -> None:
    """A reminder due at once (a hand-over, an escalation), and a sweep kicked after commit."""
    Reminder.objects.bulk_create([Reminder(
        case_id=case.pk, kind=kind, audience=audience, due_at=timezone.now(),
        idempotency_key=f"case:{case.pk}:{kind}:event:{event_id}", data=data or {},
    )], ignore_conflicts=True)
    kick_sweep()


def notify_threats(flagged: list[tuple[Case, list[dict[str, Any]]]], *,
                   event_ids: dict[int, int]) -> None:
    """The shop's supervisors hear of each threat flagged on a case: once per case and kind of
    threat (the key), whatever texts repeat it; one INSERT and one sweep kicked after commit."""
    Reminder.objects.bulk_create([Reminder(
        case_id=case.pk, kind=K.THREAT_FLAGGED, audience=Audience.SUPERVISORS,
        due_at=timezone.now(), idempotency_key=f"case:{case.pk}:threat:{flag['code']}",
        data={"threat": flag["code"], "matched": flag["matched"], "source": flag["source"],
              "event_id": event_ids.get(case.pk)},
    ) for case, flags in flagged for flag in flags], ignore_conflicts=True)
    kick_sweep()


def after_transition(case: Case, *, name: str, by: Any, event: TimelineEvent,
                     deadlines_moved: bool = True) -> None:
    """The reminders a transition changes, and who hears about it at once. When the transition
    moved no deadline and did not close the case, the reminders already match (delivery checks
    again anyway), so they are not read again."""
    if deadlines_moved:
        sync_case_reminders(case)
    if name == "hand_over":
        notify_now(case, K.HANDED_OVER, Audience.ASSIGNEE, event_id=event.pk,
                   data={"reason": event.data.get("reason", "")})
    elif event.to_state == State.AWAITING_APPROVAL and event.from_state != State.AWAITING_APPROVAL:
        notify_now(case, K.APPROVAL_ASKED, Audience.SUPERVISORS, event_id=event.pk,
                   data={"by": by.get_username() if by else "",
                         "needs_approval": event.data.get("needs_approval", [])})
    elif name in ("approve_remedy", "decline_remedy"):
        kind = K.REMEDY_APPROVED if name == "approve_remedy" else K.REMEDY_DECLINED
        notify_now(case, kind, Audience.ASSIGNEE, event_id=event.pk,
                   data={"by": by.get_username() if by else "",
                         "reason": event.data.get("reason", "")})
    elif name == "escalate" and by is not None:
        # The system's escalations come with the breach reminder, which tells the supervisors.
        notify_now(case, K.ESCALATED, Audience.SUPERVISORS, event_id=event.pk,
                   data={"by": by.get_username(), "reason": event.data.get("reason", "")})
