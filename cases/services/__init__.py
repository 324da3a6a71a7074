"""Every business action on a case, one function each. Views, admin, commands and tasks call these."""

from cases.services.approval_limits import set_refund_approval_limits
from cases.services.assignment import assign_case, claim_case, claim_next
from cases.services.attachments import attach_file
from cases.services.bulk import BulkResult, run_bulk
from cases.services.buyer_details import update_buyer_details
from cases.services.canned_replies import (
    archive_canned_reply,
    save_canned_reply,
    update_canned_reply,
    use_canned_reply,
)
from cases.services.clock import pause_clock, record_platform_decision, resume_clock
from cases.services.contacts import log_contact, remind_when_contact_allowed, set_buyer_profile
from cases.services.escalation import escalate_as_system, escalate_breach, escalate_breached_cases
from cases.services.messages import SentMessage, send_message
from cases.services.opening import Opening, open_case, open_cases
from cases.services.pii import reveal_pii
from cases.services.shop_secrets import replace_shop_secret
from cases.services.tokens import create_api_token, revoke_api_token
from cases.services.transitions import (
    available_transitions,
    blocked_transitions,
    run_transition,
)

__all__ = [
    "BulkResult",
    "Opening",
    "SentMessage",
    "archive_canned_reply",
    "assign_case",
    "attach_file",
    "available_transitions",
    "blocked_transitions",
    "claim_case",
    "claim_next",
    "create_api_token",
    "escalate_as_system",
    "escalate_breach",
    "escalate_breached_cases",
    "log_contact",
    "open_case",
    "open_cases",
    "pause_clock",
    "record_platform_decision",
    "remind_when_contact_allowed",
    "replace_shop_secret",
    "resume_clock",
    "reveal_pii",
    "revoke_api_token",
    "run_bulk",
    "run_transition",
    "save_canned_reply",
    "send_message",
    "set_buyer_profile",
    "set_refund_approval_limits",
    "update_buyer_details",
    "update_canned_reply",
    "use_canned_reply",
]
