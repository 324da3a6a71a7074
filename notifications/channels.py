"""Notification channels: each a small class with one `send` method.

The in-app inbox is the Notification row itself (written in bulk by the delivery). Other channels
are listed in settings.NOTIFICATION_CHANNELS by dotted path; a chat-tool webhook is one more class
here and one more line there, with no change to the sweep or the delivery.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.module_loading import import_string

from notifications.models import Notification
from notifications.texts import render

IN_APP = "in_app"


class DeliveryError(Exception):
    """A channel could not deliver; the reminder is retried with a backoff."""


class Channel:
    name = "channel"

    def wants(self, notification: Notification) -> bool:
        """Whether this channel has a way to reach the recipient."""
        return True

    def send(self, notification: Notification) -> None:
        raise NotImplementedError


class EmailChannel(Channel):
    """Django's email backend (the console in the demo, SMTP in production)."""

    name = "email"

    def wants(self, notification: Notification) -> bool:
        return bool(notification.recipient.email)

    def send(self, notification: Notification) -> None:
        with translation.override(settings.NOTIFICATION_LANGUAGE):
            title, body = render(notification)
        sent = send_mail(subject=title, message=body, from_email=None,
                         recipient_list=[notification.recipient.email], fail_silently=False)
        if sent != 1:
            raise DeliveryError("the email backend sent nothing")


@cache
def _load(paths: tuple[str, ...]) -> tuple[Channel, ...]:
    return tuple(import_string(path)() for path in paths)


def external_channels() -> tuple[Channel, ...]:
    return _load(tuple(settings.NOTIFICATION_CHANNELS))
