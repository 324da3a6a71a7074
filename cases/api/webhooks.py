"""POST /api/v1/webhooks/{shop}/: a thin view; signature and effects in cases/webhooks.py."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import webhooks
from cases.webhook_body import kept_headers, read_body, unreadable
from config.api_schema import errors


class RawBody(BaseParser):
    """The signature covers the raw bytes: the view reads request.body, never parsed data."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:  # noqa: ANN001
        return b""


EVENT = inline_serializer("MarketplaceEvent", {
    "id": serializers.CharField(max_length=200), "type": serializers.ChoiceField(webhooks.TYPES),
    "created": serializers.DateTimeField(), "data": serializers.DictField(),
})


class MarketplaceWebhook(APIView):
    # Signed by the marketplace instead (HMAC of the raw body with the shop's secret): no session,
    # no token, no CSRF.
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []
    parser_classes = [RawBody]

    @extend_schema(
        request=EVENT,
        parameters=[OpenApiParameter("X-Signature", str, OpenApiParameter.HEADER, required=True,
                                     description='t=<unix seconds>,v1=<hex HMAC-SHA256 of '
                                                 '"<t>.<raw body>" with the shop\'s secret>')],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Applied, ignored or a "
                                        "duplicate"),
                   201: OpenApiResponse(OpenApiTypes.OBJECT, description="A case was opened"),
                   **errors(400, 401, 404, 409, 413)},
        auth=[], description="Events from a marketplace: case.opened, case.updated, "
                             "review.posted, platform.decided (see docs/api.md).",
    )
    def post(self, request: Request, shop: str) -> Response:
        limit = settings.WEBHOOK_MAX_BYTES
        if unreadable(request._request, limit):
            return Response({"detail": webhooks.too_large_reason(None, limit)}, status=413)
        body = read_body(request._request, limit)
        signed = {"shop_code": shop, "signature": request.headers.get("X-Signature"),
                  "headers": kept_headers(request._request)}
        try:
            if body.too_large:
                answer = webhooks.refuse_too_large(body=body, **signed)
            else:
                answer = webhooks.receive(body=body.head, **signed)
        finally:
            body.close()
        return Response(answer.body, status=answer.status)


marketplace_webhook = MarketplaceWebhook.as_view()
