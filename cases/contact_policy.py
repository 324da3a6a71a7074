"""Follow-up without harassment (seed 003 §6.1.3–6.1.4): when the shop may reach out to a buyer.

Applies to every kind of case. Limits are the shop's settings; quiet hours are in the shop's time
zone (the buyer's own quiet hours where set). Only outreach counts and is checked: a call, or a
message the shop starts. A message to a buyer who sent a message on the case within REPLY_WINDOW
is an answer (`is_answer`): no limit, no quiet hours, and it does not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Channel, Contact, Customer, Direction, Outcome, Shop

# A message to a buyer who wrote on the case this recently is an answer, not outreach.
REPLY_WINDOW = timedelta(hours=24)

# Why an outbound contact is refused (Refusal.code; the services' Conflict carries it as `code`).
REFUSAL_CODES = frozenset({"do_not_contact", "contact_limit", "quiet_hours"})


@dataclass(frozen=True)
class Refusal:
    code: str  # do_not_contact | contact_limit | quiet_hours
    message: str | Promise


def quiet_hours(customer: Customer, shop: Shop) -> tuple[time, time]:
    if customer.quiet_hours_start is not None and customer.quiet_hours_end is not None:
        return customer.quiet_hours_start, customer.quiet_hours_end
    return shop.quiet_hours_start, shop.quiet_hours_end


def in_quiet_hours(local: time, start: time, end: time) -> bool:
    """[start, end) in local time; a span over midnight (22:00–08:00) wraps."""
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def is_answer(case: Case, channel: str, at: datetime) -> bool:
    """An outbound message on this case answers the buyer: they sent a message on it within
    REPLY_WINDOW before `at` (a call, theirs or ours, does not open the window; a call is always
    outreach). Read from the case's prefetched contacts when it has them (the case page), else one
    query."""
    if channel == Channel.CALL:
        return False
    since = at - REPLY_WINDOW
    prefetched = getattr(case, "_prefetched_objects_cache", {}).get("contacts")
    if prefetched is not None:
        return any(c.direction == Direction.INBOUND and c.channel != Channel.CALL
                   and since <= c.at <= at for c in prefetched)
    return Contact.objects.filter(case=case, direction=Direction.INBOUND,
                                  at__gte=since, at__lte=at).exclude(
        channel=Channel.CALL).exists()


def outbound_attempts(customer: Customer, shop: Shop, at: datetime) -> int:
    """Outreach to this buyer (calls and messages the shop started), over all their cases, in the
    shop's window. Answers to the buyer are not counted."""
    since = at - timedelta(days=shop.attempt_window_days)
    return Contact.objects.filter(
        customer=customer, outreach=True, at__gt=since, at__lte=at
    ).count()


def outbound_refusal(*, customer: Customer | None, shop: Shop, at: datetime) -> Refusal | None:
    """Why the shop may not call or message this buyer now, or None when it may."""
    if customer is None:
        return None
    if customer.do_not_contact:
        return Refusal("do_not_contact", _(
            "The buyer asked not to be contacted. Only a public reply is possible."
        ))
    attempts = outbound_attempts(customer, shop, at)
    if attempts >= shop.max_outbound_attempts:
        return Refusal("contact_limit", _(
            "%(attempts)s attempts to reach this buyer in the last %(days)s days already (the "
            "shop's limit). Wait for the buyer, or reply publicly."
        ) % {"attempts": attempts, "days": shop.attempt_window_days})
    start, end = quiet_hours(customer, shop)
    local = at.astimezone(ZoneInfo(shop.time_zone))
    if in_quiet_hours(local.time(), start, end):
        return Refusal("quiet_hours", _(
            "It is %(now)s in the shop's time zone, inside the buyer's quiet hours "
            "(%(start)s–%(end)s). Try again after %(end)s."
        ) % {"now": f"{local:%H:%M}", "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
    return None


def buyer_unreachable(customer: Customer | None, shop: Shop, at: datetime) -> bool:
    """Asked not to be contacted, or the contact limit is used up without reaching them."""
    if customer is None:
        return False
    if customer.do_not_contact:
        return True
    since = at - timedelta(days=shop.attempt_window_days)
    recent = Contact.objects.filter(customer=customer, at__gt=since, at__lte=at)
    attempts = recent.filter(outreach=True).count()
    reached = recent.filter(outcome=Outcome.REACHED).exists()
    return attempts >= shop.max_outbound_attempts and not reached


def end_of_quiet_hours(customer: Customer | None, shop: Shop, at: datetime) -> datetime:
    """`at`, or when the buyer's quiet hours end if `at` falls inside them."""
    start, end = quiet_hours(customer, shop) if customer else (shop.quiet_hours_start,
                                                                shop.quiet_hours_end)
    tz = ZoneInfo(shop.time_zone)
    local = at.astimezone(tz)
    if not in_quiet_hours(local.time(), start, end):
        return at
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=tz)


def next_contact_time(*, customer: Customer | None, shop: Shop, at: datetime) -> datetime | None:
    """The first moment from `at` on when the shop may call the buyer, or None (never: opted out).

    Past the contact limit, that is when the oldest attempt in the window falls out of it; inside
    quiet hours, when they end.
    """
    if customer is None:
        return end_of_quiet_hours(None, shop, at)
    if customer.do_not_contact:
        return None
    since = at - timedelta(days=shop.attempt_window_days)
    recent = list(Contact.objects.filter(customer=customer, outreach=True,
                                         at__gt=since, at__lte=at)
                  .order_by("-at").values_list("at", flat=True)[:shop.max_outbound_attempts])
    if len(recent) >= shop.max_outbound_attempts:
        # The attempt that must fall out of the window before another one is allowed.
        at = max(at, recent[-1] + timedelta(days=shop.attempt_window_days, seconds=1))
    return end_of_quiet_hours(customer, shop, at)
