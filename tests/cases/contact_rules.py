"""What the follow-up tests share: the clock set in a time zone, quiet hours, logging a contact and
checking a refusal leaves nothing written."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import services
from cases.models import Case, Contact, Shop, TimelineEvent
from config.service_errors import Conflict

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")

CALL = {"channel": "call", "direction": "outbound", "outcome": "no_answer"}
MESSAGE = {"channel": "chat", "direction": "outbound", "body": "您好，想回访一下您的使用情况。"}
INBOUND = {"channel": "chat", "direction": "inbound", "body": "你们怎么还不处理？"}


def at(tz: ZoneInfo, *args: int) -> Any:
    return time_machine.travel(datetime(*args, tzinfo=tz), tick=False)


def with_quiet_hours(shop: Shop, tz: str = "Asia/Shanghai") -> Shop:
    shop.time_zone = tz
    shop.quiet_hours_start, shop.quiet_hours_end = time(22, 0), time(8, 0)
    shop.save()
    return shop


def contact(case: Case, by: Any, data: dict[str, Any]) -> Any:
    return services.log_contact(case_id=case.pk, by=by, data=data)


def refused(case: Case, by: Any, data: dict[str, Any]) -> str:
    """Log an outbound contact that must be refused: nothing is written; returns the code."""
    before = (Contact.objects.count(), TimelineEvent.objects.count(),
              Case.objects.values_list("state", "updated_at").get(pk=case.pk))
    with pytest.raises(Conflict) as refusal:
        contact(case, by, data)
    assert (Contact.objects.count(), TimelineEvent.objects.count(),
            Case.objects.values_list("state", "updated_at").get(pk=case.pk)) == before
    assert refusal.value.extra["state"] == Case.objects.get(pk=case.pk).state
    return refusal.value.extra["code"]
