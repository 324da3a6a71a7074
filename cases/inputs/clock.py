"""What pausing the clock and recording the marketplace's decision need."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.inputs.fields import TEXT
from cases.inputs.steps import CaseInput


class PauseClockInput(CaseInput):
    reason = serializers.CharField(help_text=_("What the shop waits for from the buyer, e.g. photos."),
                                   **TEXT)


class PlatformDecision(serializers.ChoiceField):
    CHOICES = [
        ("refund_granted", _("Refund granted to the buyer")),
        ("seller_favoured", _("Decided for the seller")),
        ("partial_refund", _("Partial refund")),
        ("other", _("Other")),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=self.CHOICES, **kwargs)


class PlatformDecisionInput(CaseInput):
    decision = PlatformDecision()
    note = serializers.CharField(required=False, allow_blank=True, default="", **TEXT)
    decided_at = serializers.DateTimeField(required=False, help_text=_("Default: now."))

    def validate_decided_at(self, value: Any) -> Any:
        from django.utils import timezone

        if value > timezone.now():
            raise serializers.ValidationError(_("The decision cannot be in the future."))
        if value < self.case.opened_at:
            raise serializers.ValidationError(_("The decision cannot be before the case opened."))
        return value
