"""Delivering claimed reminders: check again, and notify the right people once. Only notify: a
passed deadline is escalated by the cases' own sweep (cases/services/escalation.py).

1. In one transaction: lock the batch's reminders (only if this claim still holds them), check each
   again at send time (case still open? deadline still running? buyer opted out? quiet hours?),
   and write the in-app notifications (one per reminder and person: a unique constraint, so a
   retried delivery adds none). A person who would get more than NOTIFICATION_DIGEST_AFTER
   reminders from the batch gets one digest instead: their reminders' rows are still written (so
   each is told once), read and pointing at the digest, in the same transaction.
2. After commit, the other channels (email, …) send what they have not sent yet; every try is a
   DeliveryAttempt row.
3. The reminders whose channels all succeeded are marked sent; the others go back to pending with a
   backoff (failed after REMINDER_MAX_ATTEMPTS), with the last error.
A worker that dies at any point leaves its reminders claimed; the sweep takes them again after the
stale-claim timeout and the steps above skip what was done.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cases import deadlines
from cases.contact_policy import next_contact_time
from cases.models import Contact, Direction, Outcome, State
from cases.permissions import SUPERVISOR
from notifications.channels import IN_APP, external_channels
from notifications.models import (
    DIGESTIBLE,
    Audience,
    DeliveryAttempt,
    Notification,
    Reminder,
    ReminderKind,
    ReminderState,
)
from notifications.models import Outcome as Sent
from notifications.scheduling import retry_backoff

log = logging.getLogger(__name__)
K = ReminderKind

@dataclass
class DeliveryReport:
    delivered: int = 0
    cancelled: int = 0
    rescheduled: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Verdict:
    action: str  # deliver | cancel | reschedule
    reason: str = ""
    at: datetime | None = None


DELIVER = Verdict("deliver")


def check(reminder: Reminder, now: datetime) -> Verdict:
    """Is the reminder still to be sent, now? (Re-checked at send time: things change.)"""
    case = reminder.case
    if case.state == State.CLOSED:
        return Verdict("cancel", "case closed")
    if reminder.deadline:
        running = {d.name: d.due_at for d in deadlines.running(case)}
        if running.get(reminder.deadline) != reminder.deadline_at:
            return Verdict("cancel", "deadline met or moved")
        if reminder.kind == K.DEADLINE_WARNING and reminder.deadline_at <= now:
            return Verdict("cancel", "deadline already passed")
    if reminder.kind in (K.FOLLOW_UP_DUE, K.RETRY_CONTACT):
        return _check_call(reminder, now)
    return DELIVER


def _check_call(reminder: Reminder, now: datetime) -> Verdict:
    """A reminder that leads to a call: only when the buyer may be called, else at the next time."""
    case = reminder.case
    if reminder.kind == K.RETRY_CONTACT:
        reached = Contact.objects.filter(case=case, at__gt=reminder.created_at).filter(
            Q(outcome=Outcome.REACHED) | Q(direction=Direction.INBOUND)).exists()
        if reached:
            return Verdict("cancel", "buyer reached since")
    allowed = next_contact_time(customer=case.customer, shop=case.shop, at=now)
    if allowed is None:
        return Verdict("cancel", "buyer asked not to be contacted")
    if allowed > now:
        return Verdict("reschedule", "quiet hours or contact limit", allowed)
    return DELIVER


def deliver_reminders(reminder_ids: list[int], token: str, *,
                      now: datetime | None = None) -> DeliveryReport:
    report = DeliveryReport()
    with transaction.atomic():
        now = now or timezone.now()
        reminders = list(
            Reminder.objects.select_for_update(of=("self",))
            .filter(pk__in=reminder_ids, claim_token=token, state=ReminderState.CLAIMED)
            .select_related("case", "case__shop", "case__customer")
        )
        if not reminders:
            return report
        verdicts = {r.pk: check(r, now) for r in reminders}
        to_send = [r for r in reminders if verdicts[r.pk].action == "deliver"]
        recipients = _recipients(to_send)
        pairs = [(r, user_id) for r in to_send for user_id in recipients[r.pk]]
        digests = _digests(pairs, now)
        Notification.objects.bulk_create([
            Notification(recipient_id=user_id, reminder=r, case_id=r.case_id, kind=r.kind,
                         data=_data(r), created_at=now,
                         digest=digests.get(user_id) if r.kind in DIGESTIBLE else None,
                         read_at=now if user_id in digests and r.kind in DIGESTIBLE else None)
            for r, user_id in pairs
        ], ignore_conflicts=True)
        notifications = list(Notification.objects.filter(reminder__in=to_send).select_related(
            "recipient", "case"))
        DeliveryAttempt.objects.bulk_create(
            [DeliveryAttempt(notification=n, channel=IN_APP, outcome=Sent.SENT, at=now)
             for n in [*notifications, *digests.values()]], ignore_conflicts=True)
        _close(reminders, verdicts, token, now, report)
    outbound, covers = _outbound(notifications)
    failures = _send_external(outbound, now, covers)
    _finish(to_send, failures, token, now, report)
    return report


def _digests(pairs: list[tuple[Reminder, int]], now: datetime) -> dict[int, Notification]:
    """A digest for each person who would get more than NOTIFICATION_DIGEST_AFTER reminders of
    this batch (written in this transaction, with the reminders' own rows it tells).

    Only reminders this person was not told yet count: a batch delivered again (its worker died
    after this transaction committed) finds their rows and makes no second digest.
    """
    told = set(Notification.objects.filter(
        reminder__in={r.pk for r, _user in pairs}).values_list("reminder_id", "recipient_id"))
    fresh: dict[int, list[Reminder]] = defaultdict(list)
    for r, user_id in pairs:
        if r.kind in DIGESTIBLE and (r.pk, user_id) not in told:
            fresh[user_id].append(r)
    return {user_id: Notification.objects.create(
        recipient_id=user_id, kind=K.DIGEST, data=digest_data(due), created_at=now)
        for user_id, due in fresh.items() if len(due) > settings.NOTIFICATION_DIGEST_AFTER}


def digest_data(due: list[Reminder]) -> dict[str, object]:
    """What a digest says: how many, of which kinds (and deadlines), between which times."""
    counts: dict[str, int] = defaultdict(int)
    for r in due:
        counts[f"{r.kind}:{r.deadline}" if r.deadline else r.kind] += 1
    times = sorted(r.due_at for r in due)
    return {"count": len(due), "counts": dict(sorted(counts.items())),
            "first_due_at": times[0].isoformat(), "last_due_at": times[-1].isoformat(),
            "time_zone": due[0].case.shop.time_zone, "url": "/?tab=soon"}


def _outbound(notifications: list[Notification]) -> tuple[list[Notification], dict[int, list[int]]]:
    """What the other channels send: each notification on its own, and a digest instead of those
    it tells; {digest id: the reminders it tells} (a digest that fails retries them all)."""
    covers: dict[int, list[int]] = defaultdict(list)
    for n in notifications:
        if n.digest_id is not None:
            covers[n.digest_id].append(n.reminder_id)
    digests = list(Notification.objects.filter(pk__in=covers).select_related("recipient"))
    return [n for n in notifications if n.digest_id is None] + digests, covers


def _recipients(reminders: list[Reminder]) -> dict[int, list[int]]:
    """Who each reminder goes to, by user id: the assignee now, and/or the shop's supervisors.

    Nobody assigned: the supervisors, so that a reminder never reaches no one.
    """
    from cases.models import Case

    shop_ids = {r.case.shop_id for r in reminders}
    supervisors: dict[int, list[int]] = defaultdict(list)
    if shop_ids:
        pairs = get_user_model().objects.filter(
            is_active=True, groups__name=SUPERVISOR, shops__in=shop_ids
        ).values_list("id", "shops").distinct()
        for user_id, shop_id in pairs:
            supervisors[shop_id].append(user_id)
    # The assignee as it is now (the case row was read with the reminder, under its claim).
    assignees = dict(Case.objects.filter(pk__in={r.case_id for r in reminders})
                     .values_list("id", "assignee_id"))
    found = {}
    for r in reminders:
        assignee = assignees.get(r.case_id)
        people: list[int] = []
        if r.audience in (Audience.ASSIGNEE, Audience.ASSIGNEE_AND_SUPERVISORS) and assignee:
            people.append(assignee)
        # While a refund awaits approval, the supervisors hear of its deadlines too.
        awaiting = r.kind == K.DEADLINE_WARNING and r.case.state == State.AWAITING_APPROVAL
        if r.audience != Audience.ASSIGNEE or not people or awaiting:
            people.extend(supervisors[r.case.shop_id])
        found[r.pk] = sorted(set(people))
    return found


def _data(r: Reminder) -> dict[str, object]:
    case = r.case
    return {
        "case_id": case.pk, "case_kind": case.kind, "deadline": r.deadline,
        "deadline_at": r.deadline_at.isoformat() if r.deadline_at else None,
        "due_at": r.due_at.isoformat(), "time_zone": case.shop.time_zone,
        "marketplace_rule": case.marketplace_rule if r.deadline == deadlines.MARKETPLACE else "",
        **r.data,
    }


def _close(reminders: list[Reminder], verdicts: dict[int, Verdict], token: str, now: datetime,
           report: DeliveryReport) -> None:
    """Cancel and reschedule what the checks said (in the first transaction)."""
    cancelled = defaultdict(list)
    for r in reminders:
        verdict = verdicts[r.pk]
        if verdict.action == "cancel":
            cancelled[verdict.reason].append(r.pk)
        elif verdict.action == "reschedule":
            Reminder.objects.filter(pk=r.pk, claim_token=token).update(
                state=ReminderState.PENDING, due_at=verdict.at, claim_token="", claimed_at=None,
                outcome=verdict.reason)
            report.rescheduled += 1
    for reason, ids in cancelled.items():
        report.cancelled += Reminder.objects.filter(pk__in=ids, claim_token=token).update(
            state=ReminderState.CANCELLED, claim_token="", claimed_at=None, outcome=reason)


def _send_external(notifications: list[Notification], now: datetime,
                   covers: dict[int, list[int]]) -> dict[int, str]:
    """Email and other channels, after commit; returns {reminder id: last error} for failures (a
    digest's failure is that of every reminder it tells)."""
    channels = external_channels()
    if not channels or not notifications:
        return {}
    done = set(DeliveryAttempt.objects.filter(
        notification__in=notifications, outcome=Sent.SENT).values_list("notification_id", "channel"))
    failures: dict[int, str] = {}
    for n in notifications:
        for channel in channels:
            if (n.pk, channel.name) in done or not channel.wants(n):
                continue
            try:
                channel.send(n)
            except Exception as error:  # any failure of a transport is recorded, then retried
                DeliveryAttempt.objects.create(notification=n, channel=channel.name,
                                               outcome=Sent.FAILED, error=str(error)[:2000])
                for reminder_id in covers.get(n.pk) or [n.reminder_id]:
                    failures[reminder_id] = f"{channel.name}: {error}"[:2000]
                continue
            DeliveryAttempt.objects.bulk_create([DeliveryAttempt(
                notification=n, channel=channel.name, outcome=Sent.SENT)], ignore_conflicts=True)
    return failures


def _finish(sent: list[Reminder], failures: dict[int, str], token: str, now: datetime,
            report: DeliveryReport) -> None:
    ok = [r.pk for r in sent if r.pk not in failures]
    with transaction.atomic():
        if ok:
            report.delivered += Reminder.objects.filter(
                pk__in=ok, claim_token=token, state=ReminderState.CLAIMED
            ).update(state=ReminderState.SENT, sent_at=now, claim_token="", outcome="",
                     attempts=F("attempts") + 1)
        for r in sent:
            if r.pk not in failures:
                continue
            attempts = r.attempts + 1
            gave_up = attempts >= settings.REMINDER_MAX_ATTEMPTS
            Reminder.objects.filter(pk=r.pk, claim_token=token).update(
                state=ReminderState.FAILED if gave_up else ReminderState.PENDING,
                attempts=attempts, last_error=failures[r.pk], claim_token="", claimed_at=None,
                due_at=r.due_at if gave_up else now + retry_backoff(attempts))
            report.failed += 1
