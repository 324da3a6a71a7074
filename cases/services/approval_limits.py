"""A shop's limits above which a refund needs a supervisor's approval (cases/approval.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Shop
from cases.permissions import SUPERVISOR, roles_of
from cases.services.common import validate
from config.service_errors import NotAllowed, NotFound

FIELDS = ("refund_approval_above", "refund_approval_share", "refund_approval_after_refunds")


class ApprovalLimitsInput(serializers.Serializer):
    """Each limit may be empty (null or ""): no approval needed for that rule."""

    refund_approval_above = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True,
        min_value=Decimal(0), error_messages={
            "min_value": _("The amount cannot be negative; leave it empty for no limit."),
            "invalid": _("Give an amount such as 500 or 500.00, or leave it empty.")})
    refund_approval_share = serializers.DecimalField(
        max_digits=4, decimal_places=3, required=False, allow_null=True,
        min_value=Decimal(0), max_value=Decimal(1), error_messages={
            "min_value": _("Give a share from 0 to 1, e.g. 0.5 for half of the paid amount."),
            "max_value": _("Give a share from 0 to 1, e.g. 0.5 for half of the paid amount."),
            "max_whole_digits": _("Give a share from 0 to 1, e.g. 0.5 for half of the paid "
                                  "amount."),
            "max_decimal_places": _("Give the share with at most three decimals, e.g. 0.125."),
            "invalid": _("Give a share from 0 to 1, e.g. 0.5 for half of the paid amount.")})
    refund_approval_after_refunds = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=32767, error_messages={
            "min_value": _("The count cannot be negative; leave it empty for no limit."),
            "max_value": _("Give a count of at most 32767."),
            "invalid": _("Give a whole number of refunds, or leave it empty.")})

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "items"):  # "" (an empty form field) is no limit
            data = {k: (None if isinstance(v, str) and not v.strip() else v)
                    for k, v in data.items()}
        return super().to_internal_value(data)


def may_set_limits(user: Any, shop: Shop) -> bool:
    groups, shop_ids = roles_of(user)
    return bool(user.is_superuser or (SUPERVISOR in groups and shop.pk in shop_ids))


def set_refund_approval_limits(*, shop_id: int, by: Any, data: Any) -> Shop:
    """Set the shop's three limits (every field sent; a field left out keeps its value).

    Raises NotFound (no such shop, or not one of the user's), NotAllowed (not its supervisor) and
    InvalidInput (a negative amount or count, a share outside 0–1); nothing is written then.
    """
    with transaction.atomic():
        shop = Shop.objects.select_for_update().filter(pk=shop_id).first()
        if shop is None or not (by.is_superuser or shop.pk in roles_of(by)[1]):
            raise NotFound(_("There is no shop %(id)s.") % {"id": shop_id})
        if not may_set_limits(by, shop):
            raise NotAllowed(_("Only a supervisor of the shop may set its approval limits."))
        values = validate(ApprovalLimitsInput, data)
        changed = [field for field in FIELDS if field in values]
        for field in changed:
            setattr(shop, field, values[field])
        if changed:
            shop.save(update_fields=changed)
    return shop
