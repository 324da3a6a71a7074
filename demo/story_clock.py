"""The demo's moving clock: each story's steps run when they happened, and so do the worker's sweeps.

A demo case is told through the services (open_case, run_transition, log_contact, claim_case) with
the clock set to the moment of each step, so every timeline event, contact, deadline and reminder is
stamped when it happened in the story. Between two steps, and after the last one up to the seeding's
"now", the case lives through what the worker's periodic jobs would have done to it meanwhile, each
at its own moment and through the same functions as the beat:

- a first-response, marketplace or resolution deadline passed: the system escalates the case then
  (`cases.services.escalate_breach`, what `escalate_breached_cases` runs for each case);
- a reminder came due: it is claimed and delivered then (`notifications.sweep.sweep` for this case
  and `notifications.delivery.deliver_reminders`), so the notification carries that time, and a
  reminder the story made moot (the deadline met, the case closed) is cancelled as it would have
  been.

So nothing that came due during the story waits for the first sweep after seeding. The clock is
moved with time-machine (a library, not hand-written patching): it moves `time.time`,
`datetime.now` and so Django's `timezone.now`, including the model fields' `default=timezone.now`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import time_machine
from django.db.models import Subquery

from cases import deadlines
from cases.models import Case
from cases.services import escalate_breach
from cases.workflows import state_allows
from notifications.delivery import deliver_reminders
from notifications.models import Reminder, ReminderState
from notifications.sweep import Claim, sweep

# How long after a deadline the system's escalation runs (the beat's sweep runs every minute).
SWEEP_DELAY = timedelta(seconds=30)


class StoryClock:
    """The clock of one case's story: `advance(to)` runs the sweeps due until `to`, then moves."""

    def __init__(self, traveller: time_machine.Traveller, start: datetime) -> None:
        self._traveller = traveller
        self.now = start

    def _move(self, when: datetime) -> None:
        if when > self.now:
            self._traveller.move_to(when)
            self.now = when

    def advance(self, case_id: int, to: datetime) -> None:
        """Live through the case's escalations and reminders due before `to`, in time order."""
        escalating = True
        while True:
            next_due, reminder = _next_due(case_id, to)
            escalation = (_next_escalation(case_id, to)
                          if escalating and next_due is not None and next_due <= to else None)
            if escalation is None and reminder is None:
                break
            if escalation is not None and (reminder is None or escalation <= reminder):
                self._move(escalation)
                # None: the workflow refused; the beat would skip the case the same way.
                escalating = escalate_breach(case_id=case_id, now=self.now) is not None
            else:
                self._move(reminder)
                now = self.now
                report = sweep(now=now, case_id=case_id,
                               deliver=lambda claim, now=now: _deliver(claim, now))
                if not report.claimed:
                    break
        self._move(to)


@contextmanager
def story_clock(start: datetime) -> Iterator[StoryClock]:
    """Stop the clock at `start` (it does not tick) until the story is told."""
    with time_machine.travel(start, tick=False) as traveller:
        yield StoryClock(traveller, start)


def _deliver(claim: Claim, now: datetime) -> object:
    return deliver_reminders(claim.ids, claim.token, now=now)


def _next_escalation(case_id: int, until: datetime) -> datetime | None:
    """When the system's sweep would escalate the case next, if before `until`."""
    case = Case.objects.select_related("shop").get(pk=case_id)
    if not state_allows(case, "escalate"):
        return None
    breach = deadlines.breach_to_escalate(case, until - SWEEP_DELAY)
    return None if breach is None else breach.due_at + SWEEP_DELAY


def _next_due(case_id: int, until: datetime) -> tuple[datetime | None, datetime | None]:
    """The case's next deadline (a breach is possible only once it passed), and its first pending
    reminder due before `until`: one query."""
    reminder = (Reminder.objects.filter(case_id=case_id, state=ReminderState.PENDING,
                                        due_at__lte=until).order_by("due_at").values("due_at")[:1])
    return Case.objects.filter(pk=case_id).values_list(
        "next_due_at", Subquery(reminder)).get()
