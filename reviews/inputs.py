"""What each step of a negative-review case needs (validated once for the API and the admin)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from cases.inputs import MONEY, TEXT, CalmInput, CaseInput, HandOverInput, NoteInput, ReasonInput
from cases.models import Remedy
from cases.phrases import check_phrases, describe, rules_for
from reviews.models import Cause, opens_a_case

LABELS = {"好评": 5, "中评": 3, "差评": 1, "positive": 5, "neutral": 3, "negative": 1}
REVIEW_REMEDIES = (Remedy.PARTIAL_REFUND, Remedy.RESHIP, Remedy.EXCHANGE, Remedy.COUPON,
                   Remedy.APOLOGY_ONLY)


def rating_from(value: Any) -> int:
    """A 1–5 rating, or the platform's label (好评 5, 中评 3, 差评 1)."""
    if isinstance(value, str) and value.strip() in LABELS:
        return LABELS[value.strip()]
    try:
        rating = int(str(value).strip())
    except (TypeError, ValueError):
        raise serializers.ValidationError(
            _("Give a rating from 1 to 5, or 好评, 中评 or 差评.")
        ) from None
    if not 1 <= rating <= 5 or str(value).strip() not in {str(rating), f"{rating}.0"}:
        raise serializers.ValidationError(_("Give a rating from 1 to 5, or 好评, 中评 or 差评."))
    return rating


@extend_schema_field({"oneOf": [
    {"type": "integer", "minimum": 1, "maximum": 5},
    {"type": "string", "enum": list(LABELS)},
]})
class RatingField(serializers.Field):
    def to_internal_value(self, data: Any) -> int:
        return rating_from(data)

    def to_representation(self, value: int) -> int:
        return value


class ReviewInput(serializers.Serializer):
    platform_review_id = serializers.CharField(max_length=100)
    rating = RatingField()
    text = serializers.CharField(allow_blank=True, max_length=20000)
    posted_at = serializers.DateTimeField()
    category = serializers.CharField(required=False, allow_blank=True, max_length=60)


class OpenReviewCaseInput(serializers.Serializer):
    """The `review` object of POST /api/v1/cases/ with kind negative_review."""

    review = ReviewInput()

    def validate_review(self, review: dict[str, Any]) -> dict[str, Any]:
        if not opens_a_case(review["rating"]):
            raise serializers.ValidationError(
                {"rating": _("Only reviews rated 3 or below (中评, 差评) open a case.")}
            )
        return review


@extend_schema_serializer(component_name="ReviewListenInput")
class ListenInput(CaseInput):
    core_problem = serializers.CharField(help_text=_("Why the buyer really rated low."), **TEXT)
    cause = serializers.ChoiceField(choices=Cause.choices)


class RemedyInput(CaseInput):
    remedy = serializers.ChoiceField(choices=[(r, Remedy(r).label) for r in REVIEW_REMEDIES])
    amount = serializers.DecimalField(required=False, allow_null=True, **MONEY)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        remedy, amount = attrs["remedy"], attrs.get("amount")
        if remedy not in (Remedy.PARTIAL_REFUND, Remedy.COUPON):
            if amount is not None:
                raise serializers.ValidationError({"amount": _("No money moves with this remedy.")})
            return attrs
        if amount is None:
            if remedy == Remedy.PARTIAL_REFUND:
                raise serializers.ValidationError({"amount": _("Say how much to refund.")})
            return attrs
        if amount <= Decimal(0):
            raise serializers.ValidationError({"amount": _("The amount must be above zero.")})
        order = self.case.order
        if remedy == Remedy.PARTIAL_REFUND and order is None:
            raise serializers.ValidationError(
                {"remedy": _("A refund needs the order's paid amount; this case has no order.")}
            )
        if order is not None and amount > order.paid_amount:
            raise serializers.ValidationError(
                {"amount": _("A refund can never exceed what was paid (%(paid)s).")
                 % {"paid": order.paid_amount}}
            )
        return attrs


class RequestRevisionInput(CaseInput):
    message = serializers.CharField(help_text=_("What you ask the buyer, once."), **TEXT)


class MarkRevisedInput(CaseInput):
    new_rating = RatingField()


class ReplyPubliclyInput(CaseInput):
    text = serializers.CharField(help_text=_("The public explanation under the review."), **TEXT)

    def validate_text(self, text: str) -> str:
        hits = check_phrases(text, rules_for(self.case.shop))
        if hits:
            self.context["phrase_hits"] = [hit.as_dict() for hit in hits]
            raise serializers.ValidationError([describe(text, hit) for hit in hits])
        return text


REVIEW_INPUTS: dict[str, type[CaseInput]] = {
    "calm": CalmInput,
    "listen": ListenInput,
    "remedy": RemedyInput,
    "approve_remedy": NoteInput,
    "decline_remedy": ReasonInput,
    "request_revision": RequestRevisionInput,
    "mark_revised": MarkRevisedInput,
    "reply_publicly": ReplyPubliclyInput,
    "close": NoteInput,
    "escalate": ReasonInput,
    "hand_over": HandOverInput,
}
