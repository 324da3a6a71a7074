"""The demo shop's refund approval: its limit, and two refunds that went past it.

The demo shop asks a supervisor to approve any refund above ¥1,000 (DEMO_LIMITS). The demo's
stories were told before the shop set that limit (it is lifted while they are built, like the quiet
hours), so only these two cases met it, told through the same services as every other demo step:

- APPROVE-0001, a smart watch: agent1 proposed a full refund of ¥1,899.00; it awaits
  supervisor1's approval (first on the escalations page);
- APPROVE-0002, a down jacket: agent2 proposed a full refund of ¥1,299.00 and supervisor1
  approved it two hours later; the buyer has not answered yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from cases import services
from cases.models import Case, Kind, Shop
from demo.stories import SHOP_CODE, SUPERVISOR_USERNAME
from demo.story_clock import story_clock

DEMO_LIMITS = {"refund_approval_above": Decimal("1000.00"), "refund_approval_share": None,
               "refund_approval_after_refunds": None}
NO_LIMITS = dict.fromkeys(DEMO_LIMITS)


@contextmanager
def approval_limits_lifted(shop: Shop) -> Iterator[None]:
    """The demo's stories happened before the shop set its approval limit: off while they are
    built, DEMO_LIMITS after."""
    Shop.objects.filter(pk=shop.pk).update(**NO_LIMITS)
    try:
        yield
    finally:
        Shop.objects.filter(pk=shop.pk).update(**DEMO_LIMITS)


def _payload(number: str, product: str, paid: str, handle: str) -> dict[str, Any]:
    return {
        "kind": Kind.REFUND, "shop": SHOP_CODE, "external_id": number,
        "description": f"买家申请退款：{product[0]}无法开机。 / Refund request: the {product[1]} "
                       "does not switch on.",
        "order": {"number": f"95{number[-4:]}0000001", "paid_amount": paid, "currency": "CNY"},
        "customer": {"handle": handle, "name": "陈先生 (Chen)", "phone": "13900139000"},
        "claimed_amount": paid,
    }


# (external id, product, paid, buyer, agent, approved after): the two refunds past the limit.
CASES = [
    ("APPROVE-0001", ("智能手表", "smart watch"), "1899.00", "chen_watch", "agent1", None),
    ("APPROVE-0002", ("羽绒服", "down jacket"), "1299.00", "chen_jacket", "agent2",
     timedelta(hours=2)),
]
STEPS = [
    ("acknowledge", {"message": "您好，我是售后客服，马上为您处理。 / Hello, after-sales here; "
                                "I'm on it."}),
    ("calm", {"note": "Apologised; the buyer calmed down."}),
    ("listen", {"core_problem": "The item is dead on arrival; the buyer wants the money back."}),
    ("propose", {"remedy": "full_refund"}),
]


def ensure_approval_cases(now: datetime) -> list[Case]:
    """Open the two approval cases unless they are there (the shop's limits must be set);
    returns the cases made."""
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=[SUPERVISOR_USERNAME, *(c[4] for c in CASES)])}
    made = []
    there = Case.objects.filter(shop__code=SHOP_CODE, external_id__in=[c[0] for c in CASES])
    if there.count() != len(CASES):
        Shop.objects.filter(code=SHOP_CODE).update(**DEMO_LIMITS)
    for number, product, paid, handle, agent, approved_after in CASES:
        opened = now - timedelta(hours=6)
        with transaction.atomic(), story_clock(opened) as clock:
            case, created = services.open_case(by=None, data=_payload(number, product, paid,
                                                                       handle))
            if not created:
                continue
            at = opened
            for name, data in STEPS:
                at += timedelta(minutes=20)
                clock.advance(case.pk, at)
                services.run_transition(case_id=case.pk, name=name, by=users[agent], data=data)
            if approved_after is not None:
                clock.advance(case.pk, at + approved_after)
                services.run_transition(case_id=case.pk, name="approve_remedy",
                                        by=users[SUPERVISOR_USERNAME], data={})
            clock.advance(case.pk, now)
        made.append(Case.objects.get(pk=case.pk))
    return made
