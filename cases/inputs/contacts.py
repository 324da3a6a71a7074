"""What a contact with the buyer needs: a logged call or message, a message from the reply box, the
buyer's profile."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.inputs.fields import TEXT
from cases.inputs.steps import CaseInput
from cases.models import Channel, Direction, Outcome
from cases.models.shop import ProductKnowledge, Temperament
from cases.reply_variables import unfilled


class ContactInput(CaseInput):
    channel = serializers.ChoiceField(choices=Channel.choices)
    direction = serializers.ChoiceField(choices=Direction.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True, **TEXT)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["channel"] == Channel.CALL and not attrs.get("outcome"):
            raise serializers.ValidationError({"outcome": _("Say how the call went.")})
        if attrs["channel"] != Channel.CALL and not attrs.get("body"):
            raise serializers.ValidationError({"body": _("A message needs its text.")})
        return attrs


class MessageText(serializers.CharField):
    """Text as the buyer will read it: a JSON string only (a number or a list is refused rather
    than turned into text)."""

    default_error_messages = {"invalid": _("Send the message as text.")}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


# The channels a message goes out on (a call is logged, not sent).
MESSAGE_CHANNELS = [(c.value, c.label) for c in (Channel.CHAT, Channel.SMS, Channel.EMAIL)]


class MessageInput(CaseInput):
    """A message to the buyer from the reply box (`send_message`)."""

    body = MessageText(help_text=_("The message, as the buyer will read it."), **TEXT)
    channel = serializers.ChoiceField(choices=MESSAGE_CHANNELS, required=False,
                                      default=Channel.CHAT)

    def validate_body(self, value: str) -> str:
        left = unfilled(value)
        if left:
            raise serializers.ValidationError(_("Fill in %(variables)s before sending.") % {
                "variables": ", ".join(f"{{{name}}}" for name in left)})
        return value


class BuyerProfileInput(CaseInput):
    temperament = serializers.ChoiceField(choices=Temperament.choices, required=False,
                                          allow_blank=True)
    product_knowledge = serializers.ChoiceField(choices=ProductKnowledge.choices, required=False,
                                                allow_blank=True)
