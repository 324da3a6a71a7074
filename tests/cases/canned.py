"""What the quick-reply tests share: a reply as a supervisor sends it, and the API's address."""

from __future__ import annotations

from typing import Any

from cases.models import CannedReply, Shop

REPLIES = "/api/v1/canned-replies/"


def reply_data(shop: Shop, **overrides: Any) -> dict[str, Any]:
    data = {"shop": shop.code, "title": "Greeting", "shortcut": "hi", "language": "zh-hans",
            "body": "{buyer}您好，我是{shop}的客服{agent}，您的订单{order}我们马上为您处理。"}
    data.update(overrides)
    return data


def a_reply(shop: Shop, by: Any, **overrides: Any) -> CannedReply:
    from cases import services

    return services.save_canned_reply(by=by, data=reply_data(shop, **overrides))
