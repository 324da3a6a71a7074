"""What was agreed with the buyer: the remedy on the case, when it was proposed and accepted, by whom.

Read from the case's own fields (the remedy and its amount, the order's currency) and its timeline
as the case loader prefetched it (cases/selectors.py case_detail): no query of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from cases.models import Case, Remedy, State

# The currency of an amount on a case without an order (the default of Order.currency).
DEFAULT_CURRENCY = "CNY"
# The transitions that put a remedy on the case, and the ones that record the buyer's yes.
PROPOSING = frozenset({"propose", "remedy"})
ACCEPTING = frozenset({"accept"})
# A review's remedy is made, not offered: its step is the agreement itself (or, for a refund that
# waited for a supervisor, the approval).
MADE_AT_ONCE = frozenset({"remedy"})
APPROVING = frozenset({"approve_remedy"})


@dataclass(frozen=True)
class AgreedRemedy:
    remedy: str  # the code (Remedy)
    label: str  # in the active language
    amount: Decimal | None
    currency: str | None  # with an amount only
    proposed_at: datetime | None
    accepted_at: datetime | None
    proposed_by: str  # a username, "" for the system or when not on the timeline

    def as_api(self) -> dict[str, Any]:
        """The API's shape (docs/api.md, the case detail's `agreed_remedy`)."""
        return {
            "remedy": self.remedy,
            "amount": self.amount,
            "currency": self.currency,
            "proposed_at": self.proposed_at,
            "accepted_at": self.accepted_at,
        }


def agreed_remedy(case: Case) -> AgreedRemedy | None:
    """The remedy on the case now with its story, or None when none is proposed (or it was
    turned down). Uses the prefetched timeline and the loaded order: no query when the case came
    from the case loader."""
    if not case.chosen_remedy:
        return None
    proposed = accepted = None
    for event in case.timeline.all():  # oldest first
        if event.type in PROPOSING and event.to_state != event.from_state:
            made = event.type in MADE_AT_ONCE and event.to_state != State.AWAITING_APPROVAL
            proposed, accepted = event, (event if made else None)
        elif proposed is not None and (event.type in ACCEPTING or (
                event.type in APPROVING and proposed.type in MADE_AT_ONCE)):
            accepted = event
    amount = case.remedy_amount
    currency = None
    if amount is not None:
        currency = case.order.currency if case.order_id and case.order else DEFAULT_CURRENCY
    code = case.chosen_remedy
    return AgreedRemedy(
        remedy=code,
        label=str(Remedy(code).label) if code in Remedy.values else code.replace("_", " "),
        amount=amount, currency=currency,
        proposed_at=proposed.at if proposed else None,
        accepted_at=accepted.at if accepted else None,
        proposed_by=proposed.actor.get_username() if proposed and proposed.actor else "",
    )
