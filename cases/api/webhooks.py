"""POST /api/v1/webhooks/{shop}/: a thin view; signature and effects in cases/webhooks.py."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cases import webhooks


@csrf_exempt  # signed by the marketplace instead (HMAC); no cookies involved
@require_POST
def marketplace_webhook(request: HttpRequest, shop: str) -> JsonResponse:
    answer = webhooks.receive(shop_code=shop, body=request.body,
                              signature=request.headers.get("X-Signature"))
    return JsonResponse(answer.body, status=answer.status, json_dumps_params={"ensure_ascii": False})
