"""Delivering claimed reminders: check again, and notify the right people once. Only notify: what
a reminder is about answers the questions (notifications/subjects.py: for cases,
cases/reminder_subject.py), and a passed deadline is escalated by the cases' own sweep.

1. In one transaction: lock the batch's reminders (only if this claim still holds them), ask the
   subject again at send time whether each is still due (for a case: still open? deadline still
   running? buyer opted out? quiet hours?) and who hears it,
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
from django.db import transaction
from django.utils import timezone

from config.claims import complete, release, retry_later
from notifications.channels import IN_APP, external_channels
from notifications.models import (
    DIGESTIBLE,
    DeliveryAttempt,
    Notification,
    Reminder,
    ReminderKind,
    ReminderState,
)
from notifications.models import Outcome as Sent
from notifications.subjects import Subject, Verdict, subject
from notifications.sweep import REMINDERS

log = logging.getLogger(__name__)
K = ReminderKind


@dataclass
class DeliveryReport:
    delivered: int = 0
    cancelled: int = 0
    rescheduled: int = 0
    failed: int = 0


def deliver_reminders(reminder_ids: list[int], token: str, *,
                      now: datetime | None = None) -> DeliveryReport:
    report = DeliveryReport()
    about = subject()
    with transaction.atomic():
        now = now or timezone.now()
        reminders = list(
            Reminder.objects.select_for_update(of=("self",))
            .filter(pk__in=reminder_ids, claim_token=token, state=ReminderState.CLAIMED)
            .select_related(*about.related)
        )
        if not reminders:
            return report
        verdicts = {r.pk: about.check(r, now) for r in reminders}
        to_send = [r for r in reminders if verdicts[r.pk].action == "deliver"]
        recipients = about.recipients(to_send)
        pairs = [(r, user_id) for r in to_send for user_id in recipients[r.pk]]
        digests = _digests(pairs, now, about)
        Notification.objects.bulk_create([
            Notification(recipient_id=user_id, reminder=r, case_id=r.case_id, kind=r.kind,
                         data=about.data(r), created_at=now,
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


def _digests(pairs: list[tuple[Reminder, int]], now: datetime,
             about: Subject) -> dict[int, Notification]:
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
        recipient_id=user_id, kind=K.DIGEST, data=about.digest_data(due), created_at=now)
        for user_id, due in fresh.items() if len(due) > settings.NOTIFICATION_DIGEST_AFTER}


def _outbound(notifications: list[Notification]) -> tuple[list[Notification], dict[int, list[int]]]:
    """What the other channels send: each notification on its own, and a digest instead of those
    it tells; {digest id: the reminders it tells} (a digest that fails retries them all)."""
    covers: dict[int, list[int]] = defaultdict(list)
    for n in notifications:
        if n.digest_id is not None:
            covers[n.digest_id].append(n.reminder_id)
    digests = list(Notification.objects.filter(pk__in=covers).select_related("recipient"))
    return [n for n in notifications if n.digest_id is None] + digests, covers


def _close(reminders: list[Reminder], verdicts: dict[int, Verdict], token: str, now: datetime,
           report: DeliveryReport) -> None:
    """Cancel and reschedule what the checks said (in the first transaction)."""
    cancelled = defaultdict(list)
    for r in reminders:
        verdict = verdicts[r.pk]
        if verdict.action == "cancel":
            cancelled[verdict.reason].append(r.pk)
        elif verdict.action == "reschedule":
            release(REMINDERS, [r.pk], token, state=ReminderState.PENDING, due_at=verdict.at,
                    outcome=verdict.reason)
            report.rescheduled += 1
    for reason, ids in cancelled.items():
        report.cancelled += release(REMINDERS, ids, token, state=ReminderState.CANCELLED,
                                    outcome=reason)


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
            report.delivered += complete(REMINDERS, ok, token, state=ReminderState.SENT,
                                         sent_at=now, outcome="")
        for r in sent:
            if r.pk not in failures:
                continue
            retry_later(REMINDERS, r.pk, token, attempts=r.attempts + 1, error=failures[r.pk],
                        max_attempts=settings.REMINDER_MAX_ATTEMPTS, now=now)
            report.failed += 1
