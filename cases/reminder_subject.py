"""What notifications asks about a case's reminders, answered by cases (registered in cases/apps.py).

At send time, in the delivery's transaction: is the reminder still due (case open? deadline still
running? buyer opted out? quiet hours or the contact limit?), who hears it (the assignee now, and/or
the shop's supervisors), what the notification carries and says, and what a digest carries.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from cases import deadlines, reminder_texts, selectors
from cases.contact_policy import next_contact_time
from cases.models import Case, Contact, Direction, Outcome, State
from config.roles import SUPERVISOR
from notifications.models import Audience, Notification, Reminder, ReminderKind
from notifications.subjects import DELIVER, Subject, Verdict

K = ReminderKind


class CaseReminders(Subject):
    related = ("case", "case__shop", "case__customer")

    def check(self, reminder: Reminder, now: datetime) -> Verdict:
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
            return self._check_call(reminder, now)
        return DELIVER

    @staticmethod
    def _check_call(reminder: Reminder, now: datetime) -> Verdict:
        """A reminder that leads to a call: only when the buyer may be called, else at the next
        time the contact policy allows."""
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

    def recipients(self, reminders: list[Reminder]) -> dict[int, list[int]]:
        """Who each reminder goes to, by user id: the assignee now, and/or the shop's supervisors.

        Nobody assigned: the supervisors, so that a reminder never reaches no one.
        """
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
            awaiting = (r.kind == ReminderKind.DEADLINE_WARNING
                        and r.case.state == State.AWAITING_APPROVAL)
            if r.audience != Audience.ASSIGNEE or not people or awaiting:
                people.extend(supervisors[r.case.shop_id])
            found[r.pk] = sorted(set(people))
        return found

    def data(self, reminder: Reminder) -> dict[str, Any]:
        r, case = reminder, reminder.case
        return {
            "case_id": case.pk, "case_kind": case.kind, "deadline": r.deadline,
            "deadline_at": r.deadline_at.isoformat() if r.deadline_at else None,
            "due_at": r.due_at.isoformat(), "time_zone": case.shop.time_zone,
            "marketplace_rule": case.marketplace_rule if r.deadline == deadlines.MARKETPLACE else "",
            **r.data,
        }

    def digest_data(self, due: list[Reminder]) -> dict[str, Any]:
        """What a digest says: how many, of which kinds (and deadlines), between which times."""
        counts: dict[str, int] = defaultdict(int)
        for r in due:
            counts[f"{r.kind}:{r.deadline}" if r.deadline else r.kind] += 1
        times = sorted(r.due_at for r in due)
        return {"count": len(due), "counts": dict(sorted(counts.items())),
                "first_due_at": times[0].isoformat(), "last_due_at": times[-1].isoformat(),
                "time_zone": due[0].case.shop.time_zone, "url": "/?tab=soon"}

    def render(self, notification: Notification) -> tuple[str, str]:
        return reminder_texts.render(notification)

    def deadline_names(self) -> dict[str, str]:
        return reminder_texts.deadline_names()

    def visible_reminders(self, user: Any, rows: QuerySet[Reminder]) -> QuerySet[Reminder]:
        """The reminders of the cases this user works (the admin's list)."""
        return rows.filter(case__in=selectors.visible_to(user))
