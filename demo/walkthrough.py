"""The README's walk-through case: a refund a newcomer takes from *new* to *closed*, at any hour.

The demo shop is in Asia/Shanghai with quiet hours 22:00–08:00, so during Europe's afternoon and
evening every call or message to an ordinary demo buyer is refused (that is the rule working). The
walk-through's buyer has set their own quiet hours to none (a night-shift worker: "call me any
time"; `Customer.quiet_hours_start` equal to `quiet_hours_end` means none, cases/contact_policy.py),
so the walk-through's follow-up call is allowed whatever the time in Shanghai. Every other buyer
keeps the shop's quiet hours: at night the case page offers to remind you when they end.

WALKTHROUGH_STEPS are the steps docs/guide.md walks through, as the services take them; the demo's
tests run them at 02:00 in Shanghai.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction

from cases import services
from cases.models import Case, Customer, Kind
from demo.stories import SHOP_CODE
from demo.story_clock import story_clock

WALKTHROUGH_ID = "WALK-0001"
WALKTHROUGH_BUYER = "night_shift_wang"
ANY_HOUR = (time(0, 0), time(0, 0))  # equal start and end: no quiet hours

PAYLOAD: dict[str, Any] = {
    "kind": Kind.REFUND,
    "shop": SHOP_CODE,
    "external_id": WALKTHROUGH_ID,
    "description": "买家申请退款：蓝牙耳机右耳没有声音。 / Refund request: the right earbud of the "
                   "Bluetooth headphones makes no sound.",
    "order": {"number": "9000000000001", "paid_amount": "199.00", "currency": "CNY"},
    "customer": {"handle": WALKTHROUGH_BUYER, "name": "王夜班 (Wang)", "phone": "13800138000"},
    "claimed_amount": "199.00",
}
BUYER_MESSAGE = {"channel": "chat", "direction": "inbound",
                 "body": "耳机右边没声音，我上夜班，白天睡觉，晚上随时可以打给我。 / The right "
                         "earbud is silent. I work nights: call me any time."}

# (action, data): what the walk-through asks the newcomer to do, as agent1, on the case page.
WALKTHROUGH_STEPS: list[tuple[str, dict[str, Any]]] = [
    ("acknowledge", {"message": "您好，我是售后小美，马上为您处理耳机的问题。 / Hello, this is "
                                "Mei from after-sales; I'm on your headphones now."}),
    ("calm", {"note": "Apologised for the trouble; the buyer calmed down."}),
    ("listen", {"core_problem": "The right earbud makes no sound; the buyer wants their money back."}),
    ("propose", {"remedy": "full_refund"}),
    ("accept", {"note": "The buyer accepted the full refund of ¥199.00."}),
    ("contact", {"channel": "call", "direction": "outbound", "outcome": "reached",
                 "body": "Called back: the refund arrived; the buyer thanked us."}),
    ("close", {}),
]


def ensure_walkthrough_case(now: datetime) -> Case | None:
    """Open the walk-through case (opened ten minutes before `now`, the buyer's message five
    minutes later, nobody assigned) unless it is there; returns it when it was made."""
    opened = now - timedelta(minutes=10)
    with transaction.atomic(), story_clock(opened) as clock:
        case, created = services.open_case(by=None, data=PAYLOAD)
        if not created:
            return None
        Customer.objects.filter(pk=case.customer_id).update(quiet_hours_start=ANY_HOUR[0],
                                                            quiet_hours_end=ANY_HOUR[1])
        clock.advance(case.pk, opened + timedelta(minutes=5))
        services.log_contact(case_id=case.pk, by=None, data=BUYER_MESSAGE)
        clock.advance(case.pk, now)
    return case


def walk_through(case_id: int, by: Any) -> Case:
    """Run the walk-through's steps on the case as `by` (the tests do; people use the pages)."""
    for action, data in WALKTHROUGH_STEPS:
        if action == "contact":
            services.log_contact(case_id=case_id, by=by, data=data)
        else:
            services.run_transition(case_id=case_id, name=action, by=by, data=data)
    return Case.objects.get(pk=case_id)
