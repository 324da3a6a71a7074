"""What each step of the dispute workflow needs: acknowledge, calm, listen, propose, hand over, notes
and reasons.

Each serializer takes the case in its context (`context={"case": case}`) where the rules depend on
it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.inputs.fields import MONEY, TEXT
from cases.models import Kind, Remedy, TrackingStatus
from cases.models.case import MONEY_REMEDIES
from cases.models.dispute import REMEDIES_BY_KIND
from cases.permissions import AGENT, SUPERVISOR


class CaseInput(serializers.Serializer):
    @property
    def case(self) -> Any:
        return self.context["case"]


class AcknowledgeInput(CaseInput):
    message = serializers.CharField(help_text=_("The first reply to the buyer."), **TEXT)


class CalmInput(CaseInput):
    note = serializers.CharField(help_text=_("How the buyer was soothed."), **TEXT)


class EvidenceItem(serializers.Serializer):
    photo = serializers.CharField(required=False, allow_blank=True, max_length=500)
    description = serializers.CharField(required=False, allow_blank=True, **TEXT)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("photo") and not attrs.get("description"):
            raise serializers.ValidationError(_("Give a photo reference or a description."))
        return attrs


class ListenInput(CaseInput):
    # What only some kinds need (the pages ask each kind only for its own; see asked_for).
    ONLY_FOR_KINDS = {"tracking_status": {Kind.NON_DELIVERY}, "evidence": {Kind.NOT_AS_DESCRIBED}}

    core_problem = serializers.CharField(
        help_text=_("What the buyer really needs solved."), **TEXT
    )
    tracking_status = serializers.ChoiceField(choices=TrackingStatus.choices, required=False)
    evidence = EvidenceItem(many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.case.kind == Kind.NON_DELIVERY and not attrs.get("tracking_status"):
            raise serializers.ValidationError(
                {"tracking_status": _("Check the carrier's tracking first and say what it shows.")}
            )
        if self.case.kind == Kind.NOT_AS_DESCRIBED and not attrs.get("evidence"):
            raise serializers.ValidationError(
                {"evidence": _("Add at least one piece of the buyer's evidence (a photo or a "
                               "description).")}
            )
        return attrs


def asked_for(serializer_class: type[serializers.Serializer], case: Any) -> list[str]:
    """The input's fields a form asks for on this case: a field some kinds need only is left out
    for the others (a refund's Listen step asks for no tracking status or evidence)."""
    only = getattr(serializer_class, "ONLY_FOR_KINDS", {})
    return [name for name in serializer_class().fields
            if name not in only or case.kind in only[name]]


def remedies_for(case: Any) -> list[str] | None:
    """The remedies a dispute of this kind allows (None: the input's own choices hold)."""
    allowed = REMEDIES_BY_KIND.get(case.kind)
    return list(allowed) if allowed is not None else None


class ProposeInput(CaseInput):
    remedy = serializers.ChoiceField(choices=Remedy.choices)
    amount = serializers.DecimalField(required=False, allow_null=True, **MONEY)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        case = self.case
        remedy = attrs["remedy"]
        allowed = REMEDIES_BY_KIND.get(case.kind, ())
        if remedy not in allowed:
            raise serializers.ValidationError(
                {"remedy": _("For this kind of case choose one of: %(allowed)s.")
                 % {"allowed": _(", ").join(str(Remedy(r).label) for r in allowed)}}
            )
        amount = attrs.get("amount")
        if remedy not in MONEY_REMEDIES:
            if amount is not None:
                raise serializers.ValidationError({"amount": _("No money moves with this remedy.")})
            return attrs
        paid = case.order.paid_amount if case.order_id else None
        if paid is None:
            raise serializers.ValidationError(
                {"remedy": _("A refund needs the order's paid amount; this case has no order.")}
            )
        if amount is None:
            if remedy == Remedy.PARTIAL_REFUND:
                raise serializers.ValidationError({"amount": _("Say how much to refund.")})
            amount = paid
        if amount <= Decimal(0):
            raise serializers.ValidationError({"amount": _("The amount must be above zero.")})
        if amount > paid:
            raise serializers.ValidationError(
                {"amount": _("A refund can never exceed what was paid (%(paid)s).") % {"paid": paid}}
            )
        if remedy == Remedy.FULL_REFUND and amount != paid:
            raise serializers.ValidationError(
                {"amount": _("A full refund is exactly the paid amount (%(paid)s); "
                             "use a partial refund for less.") % {"paid": paid}}
            )
        attrs["amount"] = amount
        return attrs


class NoteInput(CaseInput):
    note = serializers.CharField(required=False, allow_blank=True, **TEXT)


class ReasonInput(CaseInput):
    reason = serializers.CharField(**TEXT)


class HandOverInput(ReasonInput):
    to = serializers.CharField(help_text=_("The username of the agent who takes the case."))

    def validate_to(self, username: str) -> Any:
        user = (
            get_user_model().objects.filter(
                username=username, is_active=True, shops=self.case.shop_id,
                groups__name__in=[AGENT, SUPERVISOR],
            ).first()
        )
        if user is None:
            raise serializers.ValidationError(
                _("%(username)s is not an agent of this shop.") % {"username": username}
            )
        if user.pk == self.case.assignee_id:
            raise serializers.ValidationError(
                _("The case is already with %(username)s; hand it to another agent.")
                % {"username": username}
            )
        return user


DISPUTE_INPUTS: dict[str, type[CaseInput]] = {
    "acknowledge": AcknowledgeInput,
    "calm": CalmInput,
    "listen": ListenInput,
    "propose": ProposeInput,
    "accept": NoteInput,
    "reject": ReasonInput,
    "escalate": ReasonInput,
    "hand_over": HandOverInput,
    "close": NoteInput,
    "withdraw": ReasonInput,
    "reopen": ReasonInput,
    "approve_remedy": NoteInput,
    "decline_remedy": ReasonInput,
}
