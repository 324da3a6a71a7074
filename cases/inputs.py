"""What each business action needs from its caller, validated once for the API, admin and pages.

Each serializer takes the case in its context (`context={"case": case}`) where the rules depend on it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from rest_framework import serializers

from cases import reply_variables
from cases.models import (
    CannedReply,
    Channel,
    Direction,
    Kind,
    Outcome,
    Remedy,
    ReplyLanguage,
    Shop,
    TrackingStatus,
)
from cases.models.canned_reply import BODY_MAX
from cases.models.case import MONEY_REMEDIES
from cases.models.dispute import REMEDIES_BY_KIND
from cases.models.shop import ProductKnowledge, Temperament
from cases.permissions import AGENT, SUPERVISOR, roles_of
from cases.phrases import check_phrases, rules_for
from cases.reply_variables import unfilled
from cases.workflows import step_labels

TEXT = {"max_length": 4000}

# What the admin and the pages call each input field (English and Chinese).
FIELD_LABELS = {
    "message": _("Message to the buyer"),
    "note": _("Note"),
    "core_problem": _("core problem"),
    "tracking_status": _("tracking status"),
    "evidence": _("evidence"),
    "remedy": _("remedy"),
    "amount": _("Amount"),
    "reason": _("Reason"),
    "to": _("Hand over to"),
    "cause": _("cause"),
    "new_rating": _("revised rating"),
    "text": _("public reply"),
    "temperament": _("temperament"),
    "product_knowledge": _("knowledge of the product"),
    "channel": _("Channel"),
    "direction": _("Direction"),
    "outcome": _("Outcome"),
    "body": _("What was said"),
}
# Words that third-party templates we use need from our catalog (django-fsm-2's admin form button).
gettext_noop("Apply")
MONEY = {"max_digits": 12, "decimal_places": 2}


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
    "approve_remedy": NoteInput,
    "decline_remedy": ReasonInput,
    "accept": NoteInput,
    "reject": ReasonInput,
    "escalate": ReasonInput,
    "hand_over": HandOverInput,
    "close": NoteInput,
    "withdraw": ReasonInput,
    "reopen": ReasonInput,
}


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


class CannedReplyInput(serializers.Serializer):
    """A quick reply (快捷短语) as a supervisor writes it; context: the shop, and the reply when
    one is changed."""

    title = serializers.CharField(max_length=80, error_messages={
        "blank": _("Give the quick reply a title."), "required": _("Give the quick reply a title.")})
    shortcut = serializers.RegexField(
        r"^/?[A-Za-z0-9_-]{1,30}$", max_length=31,
        help_text=_("One word typed after / in the reply box, e.g. hi."),
        error_messages={"invalid": _("One word of letters, digits, - and _ (at most 30 "
                                     "characters), e.g. hi."),
                        "blank": _("Give a shortcut, e.g. hi.")})
    language = serializers.ChoiceField(choices=ReplyLanguage.choices)
    body = serializers.CharField(max_length=BODY_MAX, error_messages={
        "blank": _("Write the text of the reply."), "required": _("Write the text of the reply.")})
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, allow_blank=True,
                                   default="", help_text=_("Empty: any kind of case."))
    step = serializers.CharField(required=False, allow_blank=True, default="", max_length=32,
                                 help_text=_("A workflow step, e.g. calm; empty: any step."))

    def validate_shortcut(self, shortcut: str) -> str:
        return shortcut.removeprefix("/").lower()

    def validate_body(self, body: str) -> str:
        problems = []
        unknown = reply_variables.unknown(body)
        if unknown:
            problems.append(_("There is no variable %(unknown)s; the variables are %(known)s.") % {
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "known": ", ".join(f"{{{name}}}" for name in reply_variables.VARIABLES)})
        hits = check_phrases(body, rules_for(self.context["shop"]))
        if hits:
            self.context["phrase_hits"] = [hit.as_dict() for hit in hits]
            problems += [_("“%(phrase)s”: say instead “%(suggestion)s”.")
                         % {"phrase": hit.phrase, "suggestion": hit.suggestion} for hit in hits]
        if problems:
            raise serializers.ValidationError(problems)
        return body

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind, step = attrs.get("kind", ""), attrs.get("step", "")
        if step:
            steps = step_labels(kind or None)
            if step not in steps:
                raise serializers.ValidationError({"step": _(
                    "“%(step)s” is not a step of %(kind)s; choose one of: %(steps)s.") % {
                    "step": step_labels().get(step, step),
                    "kind": Kind(kind).label if kind else _("any kind of case"),
                    "steps": ", ".join(str(label) for label in steps.values())}})
        reply = self.context.get("reply")
        taken = CannedReply.objects.filter(shop=self.context["shop"], archived=False,
                                           language=attrs["language"], shortcut=attrs["shortcut"])
        if reply is not None:
            taken = taken.exclude(pk=reply.pk)
        if taken.exists():
            raise serializers.ValidationError({"shortcut": _(
                "/%(shortcut)s is already a quick reply of this shop in this language; choose "
                "another shortcut.") % {"shortcut": attrs["shortcut"]}})
        return attrs


class NewCannedReplyInput(CannedReplyInput):
    shop = serializers.CharField(max_length=40, help_text=_("The shop's code."))
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


class BuyerProfileInput(CaseInput):
    temperament = serializers.ChoiceField(choices=Temperament.choices, required=False,
                                          allow_blank=True)
    product_knowledge = serializers.ChoiceField(choices=ProductKnowledge.choices, required=False,
                                                allow_blank=True)


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
