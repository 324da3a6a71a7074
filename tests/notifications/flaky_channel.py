"""A channel that fails while `FlakyChannel.down` is set: a chat tool's webhook that is down."""

from __future__ import annotations

from notifications.channels import Channel, DeliveryError
from notifications.models import Notification


class FlakyChannel(Channel):
    name = "chat"
    down = False
    sent: list[int] = []

    def send(self, notification: Notification) -> None:
        if FlakyChannel.down:
            raise DeliveryError("chat webhook answered 503")
        FlakyChannel.sent.append(notification.pk)
