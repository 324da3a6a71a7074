from cases.models.access import ApiToken, PiiField, PiiReveal, token_digest
from cases.models.attachment import Attachment
from cases.models.canned_reply import CannedReply, CannedReplyUse, ReplyLanguage
from cases.models.case import (
    OPEN_STATES,
    Case,
    ClosedAs,
    Kind,
    Remedy,
    State,
    TrackingStatus,
)
from cases.models.contact import Channel, Contact, Direction, Evidence, Outcome
from cases.models.deadline import DeadlinePolicy
from cases.models.dispute import Dispute
from cases.models.evidence_pack import EvidencePack, PackState
from cases.models.marketplace import MarketplaceRule, ShopHoliday, Trigger, Unit
from cases.models.outgoing import DeliveryState, OutgoingAttempt, OutgoingWebhook
from cases.models.phrase import PhraseRule
from cases.models.shop import Customer, Order, Platform, Shop
from cases.models.survey import Survey, SurveyState
from cases.models.threat import ThreatCode, ThreatRule, ThreatSource
from cases.models.timeline import AppendOnlyError, TimelineEvent
from cases.models.vector import CaseVector
from cases.models.webhook import EventStatus, WebhookEvent

__all__ = [
    "OPEN_STATES",
    "ApiToken",
    "AppendOnlyError",
    "Attachment",
    "CannedReply",
    "CannedReplyUse",
    "Case",
    "CaseVector",
    "Channel",
    "ClosedAs",
    "Contact",
    "Customer",
    "DeadlinePolicy",
    "DeliveryState",
    "Direction",
    "Dispute",
    "EventStatus",
    "Evidence",
    "EvidencePack",
    "Kind",
    "MarketplaceRule",
    "Order",
    "Outcome",
    "OutgoingAttempt",
    "OutgoingWebhook",
    "PackState",
    "PhraseRule",
    "PiiField",
    "PiiReveal",
    "Platform",
    "Remedy",
    "ReplyLanguage",
    "Shop",
    "ShopHoliday",
    "State",
    "Survey",
    "SurveyState",
    "ThreatCode",
    "ThreatRule",
    "ThreatSource",
    "TimelineEvent",
    "TrackingStatus",
    "Trigger",
    "Unit",
    "WebhookEvent",
    "token_digest",
]
