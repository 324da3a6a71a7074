"""What each business action needs from its caller, validated once for the API, admin and pages
(one module per theme; every name importable from `cases.inputs`)."""

from __future__ import annotations

from cases.inputs.bulk import (
    BULK_ACTIONS,
    BULK_MAX_IDS,
    BulkInput,
)
from cases.inputs.canned_replies import (
    CannedReplyInput,
    NewCannedReplyInput,
)
from cases.inputs.clock import (
    PauseClockInput,
    PlatformDecision,
    PlatformDecisionInput,
)
from cases.inputs.contacts import (
    MESSAGE_CHANNELS,
    BuyerProfileInput,
    ContactInput,
    MessageInput,
    MessageText,
)
from cases.inputs.fields import (
    FIELD_LABELS,
    MONEY,
    TEXT,
)
from cases.inputs.opening import (
    BuyerDetails,
    BuyerDetailsInput,
    CustomerInput,
    OpenCaseInput,
    OrderInput,
)
from cases.inputs.steps import (
    DISPUTE_INPUTS,
    AcknowledgeInput,
    CalmInput,
    CaseInput,
    EvidenceItem,
    HandOverInput,
    ListenInput,
    NoteInput,
    ProposeInput,
    ReasonInput,
    asked_for,
    remedies_for,
)

__all__ = [
    "BULK_ACTIONS",
    "BULK_MAX_IDS",
    "DISPUTE_INPUTS",
    "FIELD_LABELS",
    "MESSAGE_CHANNELS",
    "MONEY",
    "TEXT",
    "AcknowledgeInput",
    "BulkInput",
    "BuyerDetails",
    "BuyerDetailsInput",
    "BuyerProfileInput",
    "CalmInput",
    "CannedReplyInput",
    "CaseInput",
    "ContactInput",
    "CustomerInput",
    "EvidenceItem",
    "HandOverInput",
    "ListenInput",
    "MessageInput",
    "MessageText",
    "NewCannedReplyInput",
    "NoteInput",
    "OpenCaseInput",
    "OrderInput",
    "PauseClockInput",
    "PlatformDecision",
    "PlatformDecisionInput",
    "ProposeInput",
    "ReasonInput",
    "asked_for",
    "remedies_for",
]
