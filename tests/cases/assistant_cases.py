"""Resolved cases with a history, for the assistant's tests (through the real services)."""

from __future__ import annotations

from django.contrib.auth.models import User

from cases import services
from cases.models import Case, Kind, Shop
from cases.services.vectors import represent_cases
from tests.factories import open_case, reach_buyer, step, walk
from tests.reviews.factories import open_review_case

CRACKED = "杯子收到就有裂痕，包装太简陋了"
LATE = "快递太慢了，等了一个星期才到，物流一直不更新"


def resolved_refund(shop: Shop, agent: User, text: str, *, reply: str = "非常抱歉，我们马上为您办理退款。",
                    remedy: str = "partial_refund", amount: str = "30.00") -> Case:
    """A refund case whose buyer said `text`, answered with `reply`, resolved with `remedy`."""
    case = open_case(shop, by=agent, kind=Kind.REFUND, description=text)
    walk(case, agent, "acknowledge", "calm", "listen")
    buyer_writes(case, "请尽快处理")
    services.send_message(case_id=case.pk, by=agent, data={"body": reply})
    step(case, "propose", agent, remedy=remedy, amount=amount)
    return step(case, "accept", agent)


def resolved_review(shop: Shop, agent: User, text: str, *, cause: str, revised: bool = True,
                    remedy: str = "reship") -> Case:
    """A negative-review case about `text`, its cause found, remedied, and revised or answered."""
    case = open_review_case(shop, by=agent, text=text)
    walk(case, agent, "calm")
    step(case, "listen", agent, cause=cause)
    step(case, "remedy", agent, remedy=remedy)
    if revised:
        walk(case, agent, "request_revision", "mark_revised")
    else:
        step(case, "reply_publicly", agent)
    return case


def buyer_writes(case: Case, text: str) -> None:
    services.log_contact(case_id=case.pk, by=None, data={
        "channel": "chat", "direction": "inbound", "body": text})


def represent(*cases: Case) -> int:
    """What the worker does after each case opened or its buyer wrote."""
    return represent_cases([case.pk for case in cases])


def everything_represented() -> int:
    return represent_cases(list(Case.objects.values_list("pk", flat=True)))


__all__ = ["CRACKED", "LATE", "buyer_writes", "everything_represented", "reach_buyer", "represent",
           "resolved_refund", "resolved_review"]
