"""Send a signed example event to a running app, as a marketplace would (for integrators)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.models import Shop
from cases.signatures import sign
from cases.webhooks import TYPES

EXAMPLES: dict[str, dict[str, Any]] = {
    "case.opened": {
        "kind": "refund", "external_id": "TB-WEBHOOK-{n}",
        "description": "买家申请退款：收到的杯子有裂痕。",
        "order": {"number": "TBW{n}", "paid_amount": "128.00", "currency": "CNY"},
        "customer": {"handle": "webhook_buyer_{n}", "name": "王芳", "phone": "13800138000"},
        "claimed_amount": "128.00",
    },
    "review.posted": {
        "order": {"number": "TBR{n}", "paid_amount": "59.00", "currency": "CNY"},
        "customer": {"handle": "webhook_reviewer_{n}"},
        "review": {"platform_review_id": "RV-WEBHOOK-{n}", "rating": "差评",
                   "text": "包装破损，客服回复太慢。", "posted_at": "{now}"},
    },
    "case.updated": {"external_id": "{case}", "change": "buyer_replied",
                     "message": "照片已经上传了，请查看。"},
    "platform.decided": {"external_id": "{case}", "decision": "refund_granted"},
}


def example(type_: str, n: str, now: str, case: str) -> dict[str, Any]:
    text = (json.dumps(EXAMPLES[type_], ensure_ascii=False).replace("{n}", n)
            .replace("{now}", now).replace("{case}", case))
    return json.loads(text)


class Command(BaseCommand):
    help = "POST a signed example webhook event to the app (docs/api.md: marketplace webhooks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", default="demo")
        parser.add_argument("--type", choices=TYPES, default="case.opened")
        parser.add_argument("--url", default="http://127.0.0.1:8000",
                            help="where the app runs (default http://127.0.0.1:8000)")
        parser.add_argument("--external-id", default="DEMO-0001",
                            help="the case that case.updated and platform.decided are about")
        parser.add_argument("--print", action="store_true",
                            help="print the signed request instead of sending it")

    def handle(self, *args: Any, **options: Any) -> None:
        shop = Shop.objects.filter(code=options["shop"]).first()
        if shop is None or not shop.webhook_secret:
            raise CommandError(f"Shop {options['shop']} has no webhook secret (admin → Shops).")
        now = datetime.now(UTC)
        n = uuid.uuid4().hex[:8]
        body = json.dumps({"id": f"evt-{n}", "type": options["type"], "created": now.isoformat(),
                           "data": example(options["type"], n, now.isoformat(),
                                           options["external_id"])},
                          ensure_ascii=False).encode()
        signature = sign(shop.webhook_secret, body)
        url = f"{options['url'].rstrip('/')}/api/v1/webhooks/{shop.code}/"
        if options["print"]:
            self.stdout.write(f"POST {url}\nX-Signature: {signature}\n\n{body.decode()}")
            return
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Signature": signature})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                self.stdout.write(f"{response.status} {response.read().decode()}")
        except urllib.error.HTTPError as error:
            raise CommandError(f"{error.code} {error.read().decode()}") from None
        except urllib.error.URLError as error:
            raise CommandError(f"Could not reach {url}: {error.reason}. Is the app running "
                               "(make run)?") from None
