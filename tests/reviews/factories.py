"""Opening negative-review cases through the real services (stepping them: tests/factories.py)."""

from __future__ import annotations

from itertools import count
from typing import Any

from django.contrib.auth.models import User

from cases import services
from cases.models import Kind, Shop
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


TO_REMEDIED = ("calm", "listen", "remedy")

