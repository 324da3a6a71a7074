"""Helpers for negative-review cases, through the real services (like tests/factories.py)."""

from __future__ import annotations

from itertools import count
from typing import Any

from django.contrib.auth.models import User

from cases import services
from cases.models import Case, Kind, Shop
from reviews.models import ReviewCase

_numbers = count(1)


def review_payload(shop: Shop, *, customer: str | None = None, order: dict[str, Any] | None = None,
                   **review: Any) -> dict[str, Any]:
    """What the marketplace sends for a low review (POST /api/v1/cases/ with kind negative_review)."""
    n = next(_numbers)
    data: dict[str, Any] = {
        "platform_review_id": f"RV-{shop.code}-{n}",
        "rating": 2,
        "text": "杯子有裂痕，客服态度也不好。",
        "posted_at": "2026-11-20T10:00:00+08:00",
        "category": "cups",
    }
    data.update(review)
    return {
        "kind": Kind.NEGATIVE_REVIEW,
        "shop": shop.code,
        "order": order or {"number": f"RVO{shop.pk:03d}{n:06d}", "paid_amount": "128.00",
                           "currency": "CNY"},
        "customer": {"handle": customer or f"reviewer_{n}", "name": "李雷", "phone": "13900139000"},
        "review": data,
    }


def open_review_case(shop: Shop, by: User | None, **kwargs: Any) -> ReviewCase:
    case, _created = services.open_case(by=by, data=review_payload(shop, **kwargs))
    assert isinstance(case, ReviewCase)
    return case


def log(case: Case, by: User, **data: Any) -> Any:
    payload = {"channel": "call", "direction": "outbound", "outcome": "reached"}
    payload.update(data)
    return services.log_contact(case_id=case.pk, by=by, data=payload)


def reach(case: Case, by: User) -> None:
    """A call that reached the buyer (the calm step needs it)."""
    log(case, by, body="您好，看到您的评价，非常抱歉给您带来不便。")


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


def rstep(case: Case, name: str, by: User | None, **data: Any) -> Case:
    payload = dict(REVIEW_STEP_DATA.get(name, {}))
    payload.update(data)
    return services.run_transition(case_id=case.pk, name=name, by=by, data=payload)


def rwalk(case: Case, by: User, *names: str) -> Case:
    """Run the steps in order; before calm, reach the buyer first."""
    for name in names:
        if name == "calm":
            reach(case, by)
        case = rstep(case, name, by)
    return case


TO_REMEDIED = ("calm", "listen", "remedy")
