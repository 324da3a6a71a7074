"""The in-app inbox: list, unread count, mark read. Each person sees only their own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from config.api_schema import READ_ERRORS, errors
from config.pagination import PagePagination
from notifications import selectors, services
from notifications.api.serializers import NotificationSerializer
from notifications.models import Notification

UNREAD_VALUES = {"1": True, "true": True, "0": False, "false": False}


class InboxPagination(PagePagination):
    """Pages of 50, with the unread count beside them (for the bell)."""

    def get_paginated_response(self, data: list) -> Response:
        response = super().get_paginated_response(data)
        response.data["unread_count"] = selectors.unread_count(self.request.user)
        return response


UNREAD_COUNT = inline_serializer("UnreadCount", {"unread_count": serializers.IntegerField()})
MARKED = inline_serializer("MarkedRead", {"marked": serializers.IntegerField(),
                                          "unread_count": serializers.IntegerField()})


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("unread", str, enum=["1", "0", "true", "false"],
                                     description="1: unread only; 0: read only.")],
        responses={200: NotificationSerializer(many=True), **errors(*READ_ERRORS, 400)}),
    unread_count=extend_schema(responses={200: UNREAD_COUNT, **errors(*READ_ERRORS)}),
    read=extend_schema(request=None,
                       responses={200: NotificationSerializer, **errors(*READ_ERRORS)}),
    read_all=extend_schema(request=None, responses={200: MARKED, **errors(*READ_ERRORS)}),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    pagination_class = InboxPagination
    filter_backends: list = []
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Notification]:
        return selectors.inbox(self.request.user, unread=self._unread_filter())

    def _unread_filter(self) -> bool | None:
        """?unread=1 / 0 (or true / false); absent or left empty filters nothing, like CaseFilter."""
        value = self.request.query_params.get("unread", "").strip().lower()
        if not value:
            return None
        if value not in UNREAD_VALUES:
            raise ValidationError({"unread": [
                _("Use unread=1 (unread only) or unread=0 (read only).")]})
        return UNREAD_VALUES[value]

    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"unread_count": selectors.unread_count(request.user)})

    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notification = services.mark_read(notification_id=int(pk), by=request.user)
        return Response(self.get_serializer(notification).data)

    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        marked = services.mark_all_read(by=request.user)
        return Response({"marked": marked, "unread_count": 0})
