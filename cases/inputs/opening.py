"""What opening a case needs: the order, the buyer and their details (and a change of those details)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.inputs.fields import MONEY, TEXT
from cases.models import Kind, Shop
from cases.permissions import AGENT, SUPERVISOR


class OrderInput(serializers.Serializer):
    number = serializers.CharField(max_length=64)
    paid_amount = serializers.DecimalField(min_value=Decimal(0), **MONEY)
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False, default="CNY",
                                      error_messages={"invalid": _("Use a 3-letter code like CNY.")})
    placed_at = serializers.DateTimeField(required=False)
    items = serializers.ListField(child=serializers.CharField(max_length=200), required=False,
                                  max_length=50)
    carrier = serializers.CharField(required=False, allow_blank=True, max_length=60)
    tracking_number = serializers.CharField(required=False, allow_blank=True, max_length=60)


class BuyerDetails(serializers.Serializer):
    """A buyer's contact details, as a case brings them or an explicit update changes them."""

    name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    phone = serializers.RegexField(
        r"^\+?[0-9 ()-]{5,32}$", required=False, allow_blank=True, max_length=32,
        error_messages={"invalid": _("Digits only, with an optional leading +.")},
    )
    address = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                    help_text=_("Shipping address (masked when shown)."))


class CustomerInput(BuyerDetails):
    handle = serializers.CharField(max_length=120)


class BuyerDetailsInput(BuyerDetails):
    """An explicit change of the buyer's details: only the fields sent change (empty clears one)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(_("Send at least one of name, phone and address."))
        return attrs


class OpenCaseInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    shop = serializers.SlugRelatedField(slug_field="code", queryset=Shop.objects.all())
    external_id = serializers.CharField(required=False, allow_blank=True, max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, **TEXT)
    order = OrderInput(required=False)
    customer = CustomerInput(required=False)
    claimed_amount = serializers.DecimalField(
        required=False, allow_null=True, min_value=Decimal("0.01"), **MONEY
    )
    assignee = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        claimed = attrs.get("claimed_amount")
        order = attrs.get("order")
        if claimed is not None and order and claimed > order["paid_amount"]:
            raise serializers.ValidationError(
                {"claimed_amount": _("The buyer cannot claim more than was paid (%(paid)s).")
                 % {"paid": order["paid_amount"]}}
            )
        if attrs["kind"] == Kind.REFUND and not order:
            raise serializers.ValidationError(
                {"order": _("A refund case needs the order (number and paid amount).")}
            )
        username = attrs.pop("assignee", "")
        attrs["assignee"] = None
        if username:
            user = get_user_model().objects.filter(
                username=username, is_active=True, shops=attrs["shop"],
                groups__name__in=[AGENT, SUPERVISOR],
            ).first()
            if user is None:
                raise serializers.ValidationError(
                    {"assignee": _("%(username)s is not an agent of this shop.")
                     % {"username": username}}
                )
            attrs["assignee"] = user
        return attrs
