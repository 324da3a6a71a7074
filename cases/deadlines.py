"""The two clocks of a case: the shop's own and the marketplace's.

- The shop's clock: a deadline policy per shop and kind of case (admin-editable), with defaults here:
  first response, resolution, the follow-up call after the resolution, how early to warn. A
  hand-over or a reopen restarts the resolution clock; waiting for the buyer pauses it.
- The marketplace's clock: the platform's rule for the shop's marketplace (cases.MarketplaceRule,
  data): after it the platform decides without the seller. It stops when the seller answers and is
  never paused. After a platform decision, its appeal window.

`refresh(case)` recomputes the case's next deadline; the reminders follow the deadlines
(cases/reminders.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import F, Q

from cases.calendar import add_period
from cases.models.case import Kind, State
from cases.models.deadline import DeadlinePolicy
from cases.models.marketplace import MarketplaceRule, ShopHoliday, Trigger, Unit

if TYPE_CHECKING:
    from cases.models import Case, Shop

# (first response, resolution) when the shop has no policy for the kind: after-sales runs on
# longer clocks than pre-sale chat (docs/domain.md).
DEFAULT_DEADLINES: dict[str, tuple[timedelta, timedelta]] = {
    Kind.REFUND: (timedelta(hours=24), timedelta(hours=72)),
    Kind.NON_DELIVERY: (timedelta(hours=36), timedelta(days=5)),
    Kind.NOT_AS_DESCRIBED: (timedelta(hours=24), timedelta(days=5)),
    # A bad review: reach the buyer within a day, settle it within a week.
    Kind.NEGATIVE_REVIEW: (timedelta(hours=24), timedelta(days=7)),
}
FALLBACK = (timedelta(hours=24), timedelta(days=5))
DEFAULT_FOLLOW_UP_DELAY = timedelta(days=3)
DEFAULT_WARNING_LEAD = timedelta(hours=4)
DEFAULT_RETRY_CONTACT_AFTER = timedelta(hours=2)

# The deadlines a case can have, by name.
FIRST_RESPONSE = "first_response"
MARKETPLACE = "marketplace"
RESOLUTION = "resolution"
FOLLOW_UP = "follow_up"
APPEAL = "appeal"


class Deadline(NamedTuple):
    name: str
    due_at: datetime


@dataclass(frozen=True)
class PlatformRule:
    code: str
    amount: int
    unit: str
    consequence: str


@dataclass(frozen=True)
class Clock:
    """A shop's clocks for one kind of case, read once and applied to many cases."""

    first_response: timedelta
    resolution: timedelta
    follow_up_delay: timedelta = DEFAULT_FOLLOW_UP_DELAY
    warning_lead: timedelta = DEFAULT_WARNING_LEAD
    retry_contact_after: timedelta = DEFAULT_RETRY_CONTACT_AFTER
    time_zone: str = "UTC"
    marketplace: tuple[PlatformRule, ...] = ()
    appeal: tuple[PlatformRule, ...] = ()
    holidays: frozenset[date] = field(default_factory=frozenset)

    def _add(self, start: datetime, rule: PlatformRule) -> datetime:
        return add_period(start, rule.amount, rule.unit, ZoneInfo(self.time_zone), self.holidays)

    def start(self, case: Case, opened_at: datetime, marketplace_from: datetime | None = None) -> None:
        """Start both clocks; the marketplace's from `marketplace_from` when the platform's clock
        started earlier (a review's posting), else from the opening."""
        case.first_response_due_at = opened_at + self.first_response
        case.resolution_due_at = opened_at + self.resolution
        if self.marketplace:
            start = marketplace_from or opened_at
            due, rule = min((self._add(start, r), r.code) for r in self.marketplace)
            case.marketplace_due_at, case.marketplace_rule = due, rule
        refresh(case)

    def restart_resolution(self, case: Case, now: datetime) -> None:
        case.resolution_due_at = now + self.resolution
        refresh(case)

    def appeal_due(self, decided_at: datetime) -> datetime | None:
        """The end of the appeal window after a platform decision (the longest rule), or None."""
        return max((self._add(decided_at, r) for r in self.appeal), default=None)


# Clocks read from the database, by (shop, kind, platform, time zone): a transition needs its
# case's clock, and the policy and rules behind it change a few times a year. Saving or deleting a
# policy, rule or holiday empties this process's copy at once (forget_clocks, cases/apps.py);
# other processes read it again after CLOCK_TTL seconds, the longest an edit takes to apply.
CLOCK_TTL = 60.0
_clocks: dict[tuple[int, str, str, str], tuple[float, Clock]] = {}


def clock_for(shop: Shop, kind: str) -> Clock:
    """The shop's policy for this kind and its marketplace's rules: no query when read in the last
    CLOCK_TTL seconds, else a query or three."""
    key = (shop.pk, kind, shop.platform, shop.time_zone)
    kept = _clocks.get(key)
    if kept is not None and time.monotonic() - kept[0] < CLOCK_TTL:
        return kept[1]
    clock = _read_clock(shop, kind)
    _clocks[key] = (time.monotonic(), clock)
    return clock


def forget_clocks(**_signal: object) -> None:
    """A policy, rule or holiday changed: read the clocks again."""
    _clocks.clear()


def _read_clock(shop: Shop, kind: str) -> Clock:
    policy = DeadlinePolicy.objects.filter(shop=shop, kind=kind).first()
    if policy is not None:
        own = {"first_response": policy.first_response, "resolution": policy.resolution,
               "follow_up_delay": policy.follow_up_delay, "warning_lead": policy.warning_lead,
               "retry_contact_after": policy.retry_contact_after}
    else:
        first, resolution = DEFAULT_DEADLINES.get(kind, FALLBACK)
        own = {"first_response": first, "resolution": resolution}
    rules: dict[str, list[PlatformRule]] = {Trigger.OPENED: [], Trigger.PLATFORM_DECIDED: []}
    holidays: frozenset[date] = frozenset()
    if shop.platform:
        found = MarketplaceRule.objects.filter(platform=shop.platform, enabled=True).filter(
            kind__in=["", kind]).values_list("trigger", "code", "amount", "unit", "consequence")
        for trigger, *values in found:
            rules[trigger].append(PlatformRule(*values))
        if any(r.unit == Unit.BUSINESS_DAYS for group in rules.values() for r in group):
            holidays = frozenset(ShopHoliday.objects.filter(shop=shop).values_list("date", flat=True))
    return Clock(**own, time_zone=shop.time_zone, marketplace=tuple(rules[Trigger.OPENED]),
                 appeal=tuple(rules[Trigger.PLATFORM_DECIDED]), holidays=holidays)


def restart_resolution_clock(case: Case, now: datetime) -> None:
    clock_for(case.shop, case.kind).restart_resolution(case, now)


# --- which deadlines are running -----------------------------------------------------------------


def running(case: Case) -> list[Deadline]:
    """The deadlines that still apply to the case, earliest first (no query)."""
    if case.state == State.CLOSED:
        return []
    paused = case.clock_paused_at is not None
    found = []
    if case.first_responded_at is None:
        if case.first_response_due_at is not None and not paused:
            found.append(Deadline(FIRST_RESPONSE, case.first_response_due_at))
        if case.marketplace_due_at is not None:
            found.append(Deadline(MARKETPLACE, case.marketplace_due_at))
    if case.resolved_at is None and case.resolution_due_at is not None and not paused:
        found.append(Deadline(RESOLUTION, case.resolution_due_at))
    if case.resolved_at is not None and case.follow_up_due_at is not None:
        found.append(Deadline(FOLLOW_UP, case.follow_up_due_at))
    if case.appeal_due_at is not None:
        found.append(Deadline(APPEAL, case.appeal_due_at))
    return sorted(found, key=lambda d: d.due_at)


# A deadline of these passing escalates the case, as the system (cases/services/escalation.py).
ESCALATING = (FIRST_RESPONSE, MARKETPLACE, RESOLUTION)


def breach_to_escalate(case: Case, now: datetime) -> Deadline | None:
    """The earliest running deadline of ESCALATING that passed after the case's last escalation."""
    for deadline in running(case):
        if (deadline.name in ESCALATING and deadline.due_at <= now
                and (case.escalated_at is None or case.escalated_at < deadline.due_at)):
            return deadline
    return None


def breached_unescalated(now: datetime) -> Q:
    """The cases for which breach_to_escalate finds a deadline, as one query condition (the same
    rule: `running` for the three escalating deadlines). `next_due_at <= now` lets the query read
    the next-deadline index: the earliest running deadline is never later than a passed one."""

    def not_since(field: str) -> Q:
        return Q(escalated_at__isnull=True) | Q(escalated_at__lt=F(field))

    unanswered, clock_runs = Q(first_responded_at__isnull=True), Q(clock_paused_at__isnull=True)
    return ~Q(state=State.CLOSED) & Q(next_due_at__lte=now) & (
        (unanswered & clock_runs & Q(first_response_due_at__lte=now) & not_since("first_response_due_at"))
        | (unanswered & Q(marketplace_due_at__lte=now) & not_since("marketplace_due_at"))
        | (Q(resolved_at__isnull=True) & clock_runs & Q(resolution_due_at__lte=now)
           & not_since("resolution_due_at"))
    )


def refresh(case: Case) -> None:
    """Set the case's next deadline from the running ones (call before saving the case)."""
    upcoming = running(case)
    case.next_due_at = upcoming[0].due_at if upcoming else None


def after_transition(case: Case, *, was_resolved_at: datetime | None) -> None:
    """A resolution schedules the follow-up call; a reopen cancels it. Then refresh."""
    if case.resolved_at is not None and was_resolved_at is None:
        clock = clock_for(case.shop, case.kind)
        case.follow_up_due_at = case.resolved_at + clock.follow_up_delay
    elif case.resolved_at is None:
        case.follow_up_due_at = None
    refresh(case)


def pause(case: Case, now: datetime) -> None:
    case.clock_paused_at = now
    refresh(case)


def resume(case: Case, now: datetime) -> timedelta:
    """End the pause: the shop's deadlines move by its length. Returns that length."""
    paused_for = max(now - case.clock_paused_at, timedelta(0))
    if case.first_responded_at is None and case.first_response_due_at is not None:
        case.first_response_due_at += paused_for
    if case.resolved_at is None and case.resolution_due_at is not None:
        case.resolution_due_at += paused_for
    case.clock_paused_at = None
    refresh(case)
    return paused_for
