"""How a case looks in the API (reads only; writes go through cases/inputs.py and the services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import conversation, deadlines, surveys
from cases.agreement import agreed_remedy
from cases.api.assistant import SuggestionsSerializer
from cases.assistant.suggestions import assist
from cases.contact_policy import outbound_refusal
from cases.models import Case, Contact, Evidence, ThreatCode, ThreatSource, TimelineEvent
from cases.pii import mask_address, mask_phone
from cases.services import available_transitions, blocked_transitions
from cases.threats import flags_of

# The deadlines' times as every other time of the API, by one field made once (not one per row).
AT = serializers.DateTimeField()
AMOUNT = serializers.DecimalField(max_digits=12, decimal_places=2)


class ThreatFlagSerializer(serializers.Serializer):
    """A threat flagged in the buyer's words (cases/threats.py): a flag for people, never an
    action against the buyer."""

    code = serializers.ChoiceField(choices=ThreatCode.choices)
    matched = serializers.ListField(child=serializers.CharField(),
                                    help_text="the buyer's words that triggered it, as written")
    source = serializers.ChoiceField(choices=ThreatSource.choices,
                                     help_text="where the words came in first")
    at = serializers.DateTimeField(help_text="when it was flagged")


class CaseListSerializer(serializers.ModelSerializer):
    shop = serializers.CharField(source="shop.code")
    assignee = serializers.CharField(source="assignee.username", default=None)
    order = serializers.SerializerMethodField()
    customer = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "kind", "state", "shop", "external_id", "description", "order", "customer",
            "claimed_amount", "assignee", "opened_at", "updated_at", "deadlines", "closed_as",
            "flags",
        ]

    def to_representation(self, case: Case) -> dict[str, Any]:
        """The declared fields' values written out by hand: a page of the case list is 50 of
        these, and DRF's field by field walk was most of its CPU time (docs/performance.md). The
        same answer as the fields give (tests/cases/test_case_list_representation.py)."""
        amount = case.claimed_amount
        return {
            "id": case.pk, "kind": case.kind, "state": case.state, "shop": case.shop.code,
            "external_id": case.external_id, "description": case.description,
            "order": self.get_order(case), "customer": self.get_customer(case),
            "claimed_amount": None if amount is None else AMOUNT.to_representation(amount),
            "assignee": case.assignee.username if case.assignee_id else None,
            "opened_at": AT.to_representation(case.opened_at),
            "updated_at": AT.to_representation(case.updated_at),
            "deadlines": self.get_deadlines(case), "closed_as": case.closed_as,
            "flags": self.get_flags(case),
        }

    @extend_schema_field(ThreatFlagSerializer(many=True))
    def get_flags(self, case: Case) -> list[dict[str, Any]]:
        """The threats in the buyer's words, one per kind: `[{"code", "matched", "source", "at"}]`
        (empty: none)."""
        return flags_of(case)

    def get_order(self, case: Case) -> dict[str, Any] | None:
        if case.order is None:
            return None
        o = case.order
        return {"number": o.number, "paid_amount": str(o.paid_amount), "currency": o.currency,
                "placed_at": None if o.placed_at is None else AT.to_representation(o.placed_at),
                "items": o.items, "carrier": o.carrier, "tracking_number": o.tracking_number}

    def get_customer(self, case: Case) -> dict[str, Any] | None:
        if case.customer is None:
            return None
        c = case.customer
        # The details this case carries, masked for everyone: the unmasked values come from
        # POST …/reveal/ (logged).
        return {
            "handle": c.handle,
            "name": case.buyer_name,
            "phone": mask_phone(case.buyer_phone),
            "address": mask_address(case.buyer_address),
            "do_not_contact": c.do_not_contact,
        }

    def get_deadlines(self, case: Case) -> dict[str, Any]:
        """Both clocks, and the next deadline still running with the time left (no query)."""
        def at(value: datetime | None) -> str | None:
            return None if value is None else AT.to_representation(value)
        upcoming = deadlines.running(case)
        now = timezone.now()
        return {
            "next": None if not upcoming else {
                "name": upcoming[0].name, "due_at": at(upcoming[0].due_at),
                "seconds_left": int((upcoming[0].due_at - now).total_seconds()),
                "breached": upcoming[0].due_at <= now,
            },
            "first_response_due_at": at(case.first_response_due_at),
            "resolution_due_at": at(case.resolution_due_at),
            "marketplace_due_at": at(case.marketplace_due_at),
            "marketplace_rule": case.marketplace_rule,
            "follow_up_due_at": at(case.follow_up_due_at),
            "platform_decided_at": at(case.platform_decided_at),
            "appeal_due_at": at(case.appeal_due_at),
            "clock_paused_since": at(case.clock_paused_at),
            "first_responded_at": at(case.first_responded_at),
            "resolved_at": at(case.resolved_at),
            "closed_at": at(case.closed_at),
        }


class TimelineEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = TimelineEvent
        fields = ["id", "type", "actor", "at", "from_state", "to_state", "data"]


class ContactSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", default=None)

    class Meta:
        model = Contact
        fields = ["id", "channel", "direction", "outcome", "body", "by", "at"]


class PhraseHitSerializer(serializers.Serializer):
    phrase = serializers.CharField(help_text="The phrase to avoid, as the rule has it.")
    start = serializers.IntegerField(help_text="Where it starts in the body (characters).")
    end = serializers.IntegerField(help_text="Where it ends: body[start:end] is the hit.")
    suggestion = serializers.CharField(help_text="What to say instead.")


class MessageSerializer(serializers.ModelSerializer):
    """One message (or call) of the conversation, as GET and POST …/messages/ answer."""

    author = serializers.SerializerMethodField(
        help_text="The agent's username; null for the buyer (or the system).")
    sent_at = serializers.DateTimeField(source="at")
    delivery = serializers.SerializerMethodField(
        help_text="A sent message: queued, sent, failed, or no_connector (the shop has none: "
                  "paste it into the marketplace's chat). Null for the buyer's and for calls.")
    phrase_hits = PhraseHitSerializer(many=True, read_only=True,
                                      help_text="Phrases to avoid it uses (warnings).")

    class Meta:
        model = Contact
        fields = ["id", "direction", "channel", "body", "author", "sent_at", "delivery",
                  "phrase_hits"]

    def get_author(self, contact: Contact) -> str | None:
        return conversation.author_of(contact)

    def get_delivery(self, contact: Contact) -> str | None:
        return conversation.delivery_of(contact)


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "photo", "description", "added_at"]


class AgreedRemedySerializer(serializers.Serializer):
    """What was agreed with the buyer (cases/agreement.py)."""

    remedy = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    currency = serializers.CharField(allow_null=True)
    proposed_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)


class SurveySerializer(serializers.Serializer):
    """The buyer's satisfaction survey (cases/surveys.py)."""

    state = serializers.ChoiceField(choices=["not_sent", "scheduled", "sent", "answered"])
    reason = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    rating = serializers.IntegerField(allow_null=True, min_value=1, max_value=5)
    comment = serializers.CharField(allow_blank=True)
    answered_at = serializers.DateTimeField(allow_null=True)


class CaseDetailSerializer(CaseListSerializer):
    remedy = serializers.CharField(source="chosen_remedy")
    agreed_remedy = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    blocked_transitions = serializers.SerializerMethodField()
    contact_refusal = serializers.SerializerMethodField()
    buyer_waiting_since = serializers.SerializerMethodField(
        help_text="When the buyer's oldest message not yet answered arrived; null when the shop "
                  "spoke last or nobody has spoken.")
    review = serializers.SerializerMethodField()
    suggestions = serializers.SerializerMethodField()
    survey = serializers.SerializerMethodField()
    timeline = TimelineEventSerializer(many=True, read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "core_problem", "tracking_status", "remedy", "remedy_amount", "agreed_remedy",
            "review", "available_transitions", "blocked_transitions", "contact_refusal", "evidence",
            "contacts", "buyer_waiting_since", "suggestions", "survey", "timeline",
        ]

    def to_representation(self, case: Case) -> dict[str, Any]:
        # one case at a time: every declared field by DRF's own walk
        return serializers.ModelSerializer.to_representation(self, case)

    @extend_schema_field(AgreedRemedySerializer(allow_null=True))
    def get_agreed_remedy(self, case: Case) -> dict[str, Any] | None:
        """The remedy on the case, its amount and currency, when proposed and accepted; null."""
        agreed = agreed_remedy(case)
        return None if agreed is None else AgreedRemedySerializer(agreed.as_api()).data

    def get_available_transitions(self, case: Case) -> list[str]:
        return available_transitions(case, self.context["request"].user)

    def get_review(self, case: Case) -> dict[str, Any] | None:
        """The review a negative-review case is about, and how it ended."""
        review = getattr(case, "review", None)
        if review is None:
            return None
        return {
            "platform_review_id": review.platform_review_id, "rating": review.rating,
            "text": review.text, "category": review.category,
            "posted_at": serializers.DateTimeField().to_representation(review.posted_at),
            "cause": review.cause, "revised_rating": review.revised_rating,
            "revision_requested": review.revision_requested_at is not None,
            "public_reply": review.public_reply,
        }

    @extend_schema_field(SuggestionsSerializer)
    def get_suggestions(self, case: Case) -> dict[str, Any]:
        """What the nearest resolved cases suggest (cases/assistant/suggestions.py): the agent
        decides."""
        return assist(case, self.context["request"].user).suggestions()
    @extend_schema_field(SurveySerializer())
    def get_survey(self, case: Case) -> dict[str, Any]:
        """The buyer's satisfaction survey after the resolution: `state` not_sent, scheduled,
        sent or answered; `reason` why it was not sent (or is held back); `url` the link (for
        the shop's staff to paste where the shop has no connector); the answer."""
        return SurveySerializer(surveys.as_api(surveys.latest_survey(case))).data

    def get_contact_refusal(self, case: Case) -> dict[str, str] | None:
        """Why an outbound call or message would be refused now (None: it would be logged)."""
        if not case.is_open:
            return None
        refusal = outbound_refusal(customer=case.customer, shop=case.shop, at=timezone.now())
        return None if refusal is None else {"code": refusal.code, "reason": str(refusal.message)}

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_buyer_waiting_since(self, case: Case) -> str | None:
        waiting = conversation.buyer_waiting_since(case)
        return None if waiting is None else serializers.DateTimeField().to_representation(waiting)

    def get_blocked_transitions(self, case: Case) -> dict[str, str]:
        """Possible from this state but for a guard: {"close": "Reach the buyer after …"}."""
        return blocked_transitions(case, self.context["request"].user)
