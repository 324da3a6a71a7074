"""A small shop whose scorecard was computed by hand (tests/reports/test_scorecard.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases.models import CannedReply, CannedReplyUse, Case, Contact, Survey, TimelineEvent
from reviews.models import Review
from tests.factories import open_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday
RANGE = {"since": "2026-11-02", "until": "2026-11-09"}


def case(shop, agent, *, kind="refund", opened=T0, answered=None, answer_due=None,
         resolved=None, resolve_due=None, remedy="", amount=None, reopened=False) -> Case:
    """A case of `agent`, its times as hours after it opened."""
    review = {"review": {"platform_review_id": f"R{Case.objects.count()}", "rating": 2,
                         "text": "物流太慢了", "posted_at": T0.isoformat()}}
    made = open_case(shop, by=None, kind=kind, **(review if kind == "negative_review" else {}))
    Case.objects.filter(pk=made.pk).update(
        assignee=agent, opened_at=opened,
        first_responded_at=None if answered is None else opened + timedelta(hours=answered),
        first_response_due_at=None if answer_due is None else opened + timedelta(hours=answer_due),
        resolved_at=None if resolved is None else opened + timedelta(hours=resolved),
        resolution_due_at=None if resolve_due is None else opened + timedelta(hours=resolve_due),
        chosen_remedy=remedy, remedy_amount=amount)
    if reopened:
        TimelineEvent.objects.create(case=made, type="reopen", actor=agent, at=T0 + timedelta(days=1))
    return made


def review_of(made: Case, *, asked: bool, revised: bool) -> None:
    Review.objects.filter(case=made).update(
        revision_requested_at=T0 + timedelta(days=1) if asked else None,
        revised_rating=5 if revised else None)


def message(made: Case, by, *, hits: int = 0, at=T0 + timedelta(hours=2), channel="chat",
            direction="outbound") -> None:
    Contact.objects.create(case=made, channel=channel, direction=direction, by=by, at=at,
                           body="…", phrase_hits=[{"phrase": "不行"}] * hits)


def survey(made: Case, *, rating: int | None = None, sent=T0 + timedelta(days=1),
           state: str | None = None) -> Survey:
    """The buyer's survey of a case: sent at `sent`, answered with `rating` (None: not answered)."""
    return Survey.objects.create(
        case=made, nonce=f"n{Survey.objects.count()}", expires_at=T0 + timedelta(days=30),
        state=state or ("answered" if rating else "sent"), sent_at=sent, rating=rating,
        answered_at=None if rating is None else sent + timedelta(hours=3))


@pytest.fixture
def scene(shop, agent, teammate, supervisor, outsider):
    """agent1: five cases opened in the range; agent2: one opened in it, one resolved in it."""
    shop.time_zone = "Asia/Shanghai"
    shop.save()
    c1 = case(shop, agent, answered=1, answer_due=24, resolved=2, resolve_due=72,
              remedy="full_refund", amount=Decimal("128.00"))
    c2 = case(shop, agent, answered=3, answer_due=2, resolved=10, resolve_due=5,
              remedy="partial_refund", amount=Decimal("30.00"), reopened=True)
    c3 = case(shop, agent, answered=5, answer_due=24)
    c4 = case(shop, agent, kind="negative_review", resolved=4)
    review_of(c4, asked=True, revised=True)
    c5 = case(shop, agent, kind="negative_review")
    review_of(c5, asked=True, revised=False)
    d1 = case(shop, teammate, answered=1, answer_due=24, resolved=6, resolve_due=72)
    case(shop, teammate, opened=T0 - timedelta(days=10), answered=1, resolved=241)
    # Not counted: before the range, unassigned, another shop.
    old = case(shop, agent, opened=T0 - timedelta(days=30), answered=1, resolved=3, reopened=True)
    nobodys = case(shop, None, answered=1, resolved=1)
    elsewhere = case(outsider.shops.get(), outsider, answered=1, resolved=1)
    # The buyers' surveys: agent1 5 and 4 stars and one unanswered, agent2 2 stars.
    survey(c1, rating=5)
    survey(c2, rating=4)
    survey(c3)
    survey(d1, rating=2)
    # Not counted: sent before the range, never sent (no connector), nobody's case, another shop.
    survey(old, rating=1, sent=T0 - timedelta(days=20))
    survey(c4, state="not_sent", sent=None)
    survey(nobodys, rating=3)
    survey(elsewhere, rating=1)
    for hits in (2, 1, 0, 0):
        message(c1, agent, hits=hits)
    message(c1, agent, channel="call")  # a call is not a message
    message(c1, None, direction="inbound", hits=3)  # the buyer's
    message(c1, agent, hits=4, at=T0 - timedelta(days=3))  # before the range
    message(d1, teammate)
    reply = CannedReply.objects.create(shop=shop, title="Sorry", shortcut="sorry", language="en",
                                       body="Sorry")
    CannedReplyUse.objects.create(reply=reply, case=c1, by=agent, at=T0 + timedelta(hours=1))
    CannedReplyUse.objects.create(reply=reply, case=c1, by=agent, at=T0 - timedelta(days=2))
    return shop
