"""Factories and the helper that walks a case through its workflow with the real services."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group, User

from cases import services
from cases.models import Case, Kind, Shop


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"shop{n}")
    name = factory.LazyAttribute(lambda o: f"Shop {o.code}")
    # No quiet hours unless a test sets them: contact tests must not depend on the time of day
    # they run at (tests/cases/test_contact_policy.py sets 22:00–08:00 and travels in time).
    quiet_hours_start = time(0, 0)
    quiet_hours_end = time(0, 0)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("demo")

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        if extracted:
            # get_or_create: transactional tests flush the groups the data migration made.
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])

    @factory.post_generation
    def shops(self, create: bool, extracted: list[Shop] | None, **kwargs: Any) -> None:
        for shop in extracted or []:
            shop.members.add(self)


_external = factory.Sequence(lambda n: f"EXT-{n}")


def case_payload(shop: Shop, kind: str = Kind.REFUND, **overrides: Any) -> dict[str, Any]:
    """What a marketplace sends to open a case (POST /api/v1/cases/)."""
    n = Case.objects.count() + 1
    payload: dict[str, Any] = {
        "kind": kind,
        "shop": shop.code,
        "external_id": f"EXT-{shop.code}-{n}-{kind}",
        "description": "买家申请退款：收到的杯子有裂痕。",
        "order": {"number": f"TB{shop.pk:03d}{n:08d}", "paid_amount": "128.00", "currency": "CNY"},
        "customer": {"name": "王芳", "handle": f"buyer_{n}", "phone": "13800138000"},
        "claimed_amount": "128.00",
    }
    payload.update(overrides)
    return payload


def open_case(shop: Shop, by: User | None, kind: str = Kind.REFUND, **overrides: Any) -> Case:
    case, _created = services.open_case(by=by, data=case_payload(shop, kind, **overrides))
    return case


# The data each transition needs, for a case of any dispute kind.
STEP_DATA: dict[str, dict[str, Any]] = {
    "acknowledge": {"message": "您好，我们已收到您的申请，马上为您处理。"},
    "calm": {"note": "Apologised for the trouble and let the buyer vent."},
    "listen": {
        "core_problem": "The buyer needs the money back before the weekend.",
        "tracking_status": "lost",
        "evidence": [{"photo": "IMG_2031.jpg", "description": "crack along the rim"}],
    },
    "propose": {"remedy": "full_refund"},
    "accept": {},
    "reject": {"reason": "The buyer wants an exchange, not money."},
    "escalate": {"reason": "The buyer threatens a platform complaint."},
    "withdraw": {"reason": "The parcel turned up."},
    "reopen": {"reason": "The refund did not arrive."},
    "close": {},
}

PROPOSAL_BY_KIND = {
    Kind.REFUND: {"remedy": "partial_refund", "amount": "30.00"},
    Kind.NON_DELIVERY: {"remedy": "reship"},
    Kind.NOT_AS_DESCRIBED: {"remedy": "exchange"},
}


# The data each transition of the negative-review workflow needs.
REVIEW_STEP_DATA: dict[str, dict[str, Any]] = {
    "calm": {"note": "Apologised and let the buyer vent."},
    "listen": {"core_problem": "The cup arrived cracked.", "cause": "logistics"},
    "remedy": {"remedy": "reship"},
    "request_revision": {"message": "新杯子已寄出，方便的话能否更新一下评价？谢谢您。"},
    "mark_revised": {"new_rating": 5},
    "reply_publicly": {"text": "非常抱歉，我们已为您补发新杯子，并加强了包装。"},
    "close": {},
    "escalate": {"reason": "The buyer threatens a platform complaint."},
}


def step(case: Case, name: str, by: User | None, **data: Any) -> Case:
    """Run one transition with the data it needs for the case's kind (`data` overrides it)."""
    if case.kind == Kind.NEGATIVE_REVIEW:
        payload = dict(REVIEW_STEP_DATA.get(name, {}))
    elif name == "propose":
        payload = dict(PROPOSAL_BY_KIND[case.kind])
    else:
        payload = dict(STEP_DATA.get(name, {}))
    payload.update(data)
    return services.run_transition(case_id=case.pk, name=name, by=by, data=payload)


def walk(case: Case, by: User | None, *names: str) -> Case:
    """Run the steps in order. On a negative-review case the buyer is reached before calm, as its
    workflow asks."""
    for name in names:
        if name == "calm" and case.kind == Kind.NEGATIVE_REVIEW:
            reach(case, by)
        case = step(case, name, by)
    return case


def log(case: Case, by: User | None, **data: Any) -> Any:
    """Log a contact (a call that reached the buyer unless `data` says otherwise)."""
    payload = {"channel": "call", "direction": "outbound", "outcome": "reached"}
    payload.update(data)
    return services.log_contact(case_id=case.pk, by=by, data=payload)


def reach(case: Case, by: User | None) -> None:
    """A call that reached the buyer (a review case's calm step needs it)."""
    log(case, by, body="您好，看到您的评价，非常抱歉给您带来不便。")


def reach_buyer(case: Case, by: User) -> None:
    """After a resolution: a call that reached the buyer, the shop's side speaking last."""
    services.log_contact(case_id=case.pk, by=by, data={
        "channel": "call", "direction": "outbound", "outcome": "reached",
        "body": "回访：退款已到账，感谢您的耐心。",
    })


TO_RESOLVED = ("acknowledge", "calm", "listen", "propose", "accept")


def money(value: str) -> Decimal:
    return Decimal(value)
