"""Every business action on a case, one function each. Views, admin, commands and tasks call these."""

from cases.services.assignment import claim_case
from cases.services.contacts import log_contact
from cases.services.escalation import escalate_overdue_cases
from cases.services.opening import open_case
from cases.services.transitions import (
    available_transitions,
    blocked_transitions,
    run_transition,
)

__all__ = [
    "available_transitions",
    "blocked_transitions",
    "claim_case",
    "escalate_overdue_cases",
    "log_contact",
    "open_case",
    "run_transition",
]
