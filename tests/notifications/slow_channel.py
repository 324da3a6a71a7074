"""A channel that takes its time, so a test can kill a worker in the middle of a batch."""

from __future__ import annotations

import time

from notifications.channels import Channel
from notifications.models import Notification


class SlowChannel(Channel):
    name = "slow"

    def send(self, notification: Notification) -> None:
        time.sleep(0.25)
