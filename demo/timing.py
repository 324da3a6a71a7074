"""When each step of a demo story happened, and how long ago the case opened, within its deadlines.

The story is told under a moving clock (demo/story_clock.py) and the system escalates a case the
moment one of its deadlines passes, as the worker would. So the times are drawn inside the clocks the
case runs on: the first response within the first-response (and marketplace) deadline, the resolution
within the resolution deadline (restarted by a hand-over or a reopen), the follow-up call within the
follow-up delay. A story that is meant to be late says so with a `breach` step: the deadline passes
there and the system escalates the case.

The age then sets where the case stands now, as the queue colours it: a case still open whose next
deadline would escalate it is on time (green) or within the warning lead (amber); only a case the
system can no longer escalate (it is escalated already, or waits for its follow-up call) may be past
its deadline (red), as in a shop that runs the worker.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from cases.deadlines import DEFAULT_DEADLINES, DEFAULT_FOLLOW_UP_DELAY, DEFAULT_WARNING_LEAD
from cases.models import Kind
from demo.stories import Step

HOUR = 3600.0  # seconds
MINUTE = 60.0
# The marketplace's clock until the seller's first answer (the demo shop is on Taobao's rules:
# cases/migrations seed them); a review's runs 30 days from its posting, some hours before opening.
MARKETPLACE_HOURS = {Kind.REFUND: 24, Kind.NON_DELIVERY: 36, Kind.NOT_AS_DESCRIBED: 36,
                     Kind.NEGATIVE_REVIEW: 29 * 24}
REOPEN_WITHIN_HOURS = 10 * 24  # inside the shop's 15-day reopen window
RESOLVING = {"accept", "mark_revised", "reply_publicly"}
RESTARTING = {"hand_over", "reopen"}
CLOSING = {"close", "withdraw"}
ESCALATING = {"escalate", "breach"}
LEAVING_ESCALATION = {"hand_over", "propose", "remedy"}
# What share of the open cases that may be late are late (red), and of all open cases how many sit
# within the warning lead of their next deadline (amber).
LATE_SHARE = {"escalated": 0.4, "follow_up": 0.25}
AMBER_SHARE = 0.08


def _answers(step: Step) -> bool:
    """Whether the step is the shop's first answer (it stops the first-response clocks)."""
    return step.action in ("acknowledge", "request_revision") or (
        step.action == "contact" and step.data.get("direction") == "outbound")


@dataclass
class _Case:
    """What the case's clocks look like at one moment of the story (seconds after the opening)."""

    kind: str
    answered: bool = False
    resolution_from: float = 0.0
    resolved: float | None = None
    follow_up_done: bool = False
    closed: float | None = None
    escalated: bool = False

    def escalating_deadlines(self) -> list[float]:
        first, resolution = (d.total_seconds() for d in DEFAULT_DEADLINES[self.kind])
        found = []
        if not self.answered:
            found += [first, MARKETPLACE_HOURS[self.kind] * HOUR]
        if self.resolved is None:
            found.append(self.resolution_from + resolution)
        return found

    def bound(self, t: float) -> float:
        """The latest moment the next step may take place without the system stepping in."""
        if self.closed is not None:
            return self.closed + REOPEN_WITHIN_HOURS * HOUR
        if self.resolved is not None:
            return self.resolved + DEFAULT_FOLLOW_UP_DELAY.total_seconds()
        ahead = [d for d in self.escalating_deadlines() if d > t]
        return min(ahead) if ahead else t + 12 * HOUR

    def next_deadline(self) -> tuple[float | None, bool]:
        """The next deadline as the queue shows it, and whether it may be past (red)."""
        if self.closed is not None:
            return None, False
        if self.resolved is not None:
            if self.follow_up_done:
                return None, False
            return self.resolved + DEFAULT_FOLLOW_UP_DELAY.total_seconds(), True
        ahead = self.escalating_deadlines()
        return min(ahead), self.escalated

    def take(self, step: Step, t: float) -> None:
        action = step.action
        if _answers(step):
            self.answered = True
        if action in ESCALATING:
            self.escalated = True
        elif action in LEAVING_ESCALATION or action in RESOLVING:
            self.escalated = False
        if action in RESTARTING:
            self.resolution_from, self.resolved, self.closed = t, None, None
            self.follow_up_done = False
        if action in RESOLVING:
            self.resolved = t
        if (action == "contact" and self.resolved is not None
                and step.data.get("outcome") == "reached"):
            self.follow_up_done = True
        if action in CLOSING:
            self.closed = t


def _first_reply_delay(rng: random.Random) -> float:
    """Usually within a few hours, sometimes the next day (before the deadline, see the bound)."""
    return HOUR * rng.choices((rng.uniform(0.03, 3), rng.uniform(3, 16), rng.uniform(16, 36)),
                              weights=(70, 25, 5))[0]


def _changes_clock(step: Step, case: _Case) -> bool:
    return ((not case.answered and _answers(step)) or step.action in RESOLVING
            or step.action in RESTARTING or step.action in CLOSING)


def story_times(steps: list[Step], kind: str, rng: random.Random
                ) -> tuple[list[timedelta], timedelta]:
    """When each step happened after the opening, and how long ago the case opened."""
    case, t, offsets = _Case(kind), 0.0, []
    for i, step in enumerate(steps):
        if step.action == "breach":  # the deadline passes; the system escalates the case then
            t = min(d for d in case.escalating_deadlines() if d > t) + MINUTE
        else:
            room = max(case.bound(t) * 0.95 - t, 2 * MINUTE)
            # The steps up to the next one that changes the clocks share the room left.
            share = next((n for n, later in enumerate(steps[i:], 1)
                          if _changes_clock(later, case) or later.action == "breach"), 1)
            if not case.answered and _answers(step):
                gap = min(_first_reply_delay(rng), room * rng.uniform(0.5, 0.95))
            elif step.action == "contact" and step.data.get("direction") == "inbound" \
                    and not case.answered:
                gap = min(HOUR * rng.uniform(0.02, 1.5), room / (share + 1))
            else:
                gap = room * rng.uniform(0.25, 1.0) / share
            t += max(gap, MINUTE)
        offsets.append(timedelta(seconds=t))
        case.take(step, t)
    return offsets, timedelta(seconds=_age(case, t, rng))


def _age(case: _Case, last: float, rng: random.Random) -> float:
    """How long before now the case opened: after its last step, where its next deadline allows."""
    earliest = last + rng.uniform(2, 30) * MINUTE
    due, may_be_late = case.next_deadline()
    if due is None:  # closed (some weeks ago) or nothing left to wait for
        if case.closed is not None:
            return earliest + rng.uniform(1, 45 * 24) * HOUR
        return earliest + rng.uniform(0.5, 30) * HOUR
    if due <= earliest:  # passed during the story: the case was escalated then, and is still late
        return earliest + rng.uniform(0.5, 48) * HOUR
    lead = DEFAULT_WARNING_LEAD.total_seconds()
    late_share = LATE_SHARE["escalated" if case.escalated else "follow_up"] if may_be_late else 0.0
    draw = rng.random()
    if draw < late_share:  # red: the deadline passed some hours or days ago
        return max(earliest, due + rng.uniform(0.5, 120) * HOUR)
    if draw < late_share + AMBER_SHARE or due - lead <= earliest:  # amber: due within the lead
        return min(max(earliest, due - rng.uniform(0.2, 0.95) * lead), due - 2 * MINUTE)
    return rng.uniform(earliest, due - lead)  # green: on time
