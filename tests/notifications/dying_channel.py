"""A channel whose worker is killed while it sends (a BaseException, as a SIGKILL leaves no
`except` to run): what the delivery committed before stays, the rest is left claimed."""

from __future__ import annotations

from notifications.channels import Channel
from notifications.models import Notification


class WorkerKilled(BaseException):
    pass


class DyingChannel(Channel):
    name = "chat"
    dies = False
    sent: list[int] = []

    def send(self, notification: Notification) -> None:
        if DyingChannel.dies:
            DyingChannel.dies = False
            raise WorkerKilled
        DyingChannel.sent.append(notification.pk)
