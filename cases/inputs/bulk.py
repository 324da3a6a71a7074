"""What a supervisor's action on many cases needs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.inputs.fields import TEXT
from cases.permissions import AGENT, SUPERVISOR, roles_of

BULK_ACTIONS = ("assign", "hand_over", "escalate", "claim", "approve_remedy", "decline_remedy")
BULK_MAX_IDS = 100


class BulkInput(serializers.Serializer):
    """A supervisor's action on many cases at once (cases/services/bulk.py); `by` in the context.

    What every item needs is checked here, once, so a request that cannot succeed anywhere changes
    nothing; what depends on each case (its shop, its state) is checked by that case's service.
    """

    action = serializers.ChoiceField(choices=[(a, a) for a in BULK_ACTIONS])
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=10**18 - 1), allow_empty=False,
        max_length=BULK_MAX_IDS, error_messages={
            "max_length": _("Send at most %(limit)s ids at once.") % {"limit": BULK_MAX_IDS},
            "empty": _("Send at least one case id."),
            "not_a_list": _("Send the case ids as a list, e.g. [12, 15]."),
        })
    to = serializers.CharField(required=False, allow_blank=True, max_length=150,
                               help_text=_("The username of the agent (assign, hand_over)."))
    reason = serializers.CharField(required=False, allow_blank=True, **TEXT,
                                   help_text=_("Why (hand_over, escalate, decline_remedy)."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        action = attrs["action"]
        if action in ("assign", "hand_over"):
            to = attrs.get("to", "").strip()
            if not to:
                raise serializers.ValidationError({"to": _("Say who takes the cases (a username).")})
            if not self._is_agent_of_my_shops(to):
                raise serializers.ValidationError(
                    {"to": _("%(username)s is not an agent of your shops.") % {"username": to}})
            attrs["to"] = to
        if action in ("hand_over", "escalate", "decline_remedy") and not attrs.get(
                "reason", "").strip():
            raise serializers.ValidationError({"reason": _("Say why.")})
        return attrs

    def _is_agent_of_my_shops(self, username: str) -> bool:
        by = self.context["by"]
        agents = get_user_model().objects.filter(username=username, is_active=True,
                                                 groups__name__in=[AGENT, SUPERVISOR])
        if not (by.is_active and by.is_superuser):
            agents = agents.filter(shops__in=roles_of(by)[1])
        return agents.exists()
