from __future__ import annotations

from rest_framework import serializers

from notifications.models import Notification
from notifications.texts import render


class NotificationSerializer(serializers.ModelSerializer):
    """A notification with its title and body in the reader's language (no query per row)."""

    case = serializers.IntegerField(source="case_id", allow_null=True)
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "case", "title", "body", "data", "created_at", "read_at", "read"]

    def _texts(self, notification: Notification) -> tuple[str, str]:
        cached = getattr(notification, "_texts", None)
        if cached is None:
            cached = notification._texts = render(notification)
        return cached

    def get_title(self, notification: Notification) -> str:
        return self._texts(notification)[0]

    def get_body(self, notification: Notification) -> str:
        return self._texts(notification)[1]

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None
