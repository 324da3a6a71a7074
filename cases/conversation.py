"""The conversation between the shop and the buyer on a case, read from what the case page already
loaded (`selectors.case_detail`: its contacts with their author and outgoing row, its timeline):
no function here makes a query.

- `thread(case)`: every message and call, oldest first, with the workflow's steps between them as
  quiet markers.
- `last_speaker(case)`, `buyer_waiting_since(case)`: who spoke last, and since when the buyer has
  waited for the shop's answer (the seeds: the conversation always ends with the seller).
- `delivery_of(contact)`: how far a sent message got to the shop's connector.

Who speaks: the buyer in an inbound message (or an inbound call nobody reached); the shop in an
outbound message or any reached call. A call that reached nobody is shown but says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from cases import events
from cases.models import Case, Channel, Contact, DeliveryState, Direction, Outcome, TimelineEvent
from cases.workflows import transitions_of

BUYER, SHOP = "buyer", "shop"
MESSAGE, CALL, MARKER = "message", "call", "marker"
# Delivery of an outbound message (None: inbound, or a call).
QUEUED, SENT, FAILED, NO_CONNECTOR = "queued", "sent", "failed", "no_connector"
DELIVERY = {DeliveryState.PENDING: QUEUED, DeliveryState.DELIVERED: SENT,
            DeliveryState.FAILED: FAILED}
# Timeline events that are not markers in the conversation: the contacts' own events (the contact
# is shown instead) and bookkeeping that says nothing about the conversation.
NOT_MARKERS = {*events.CONTACT_EVENTS, events.PII_REVEALED, events.BUYER_PROFILED,
               events.BUYER_DETAILS_CHANGED}


@dataclass(frozen=True)
class ThreadItem:
    """One line of the conversation: a message, a call, or a marker (a step of the workflow)."""

    kind: Literal["message", "call", "marker"]
    at: datetime
    side: Literal["buyer", "shop"] | None  # who it comes from (None: a marker)
    author: str | None  # the agent's username; None for the buyer or the system
    contact: Contact | None = None  # a message or call
    delivery: str | None = None  # a sent message: queued, sent, failed or no_connector
    event: TimelineEvent | None = None  # a marker
    type: str = ""  # a marker: the event's type (a transition's name, case_opened, …)
    label: Any = ""  # a marker: what happened, in the reader's language (lazy text)


def delivery_of(contact: Contact) -> str | None:
    """queued / sent / failed for a message carried by an outgoing event, no_connector for an
    outbound message that none carries (the shop has no connector, or it was only logged); None
    for an inbound contact or a call. Costs no query for a contact loaded by
    `selectors.contacts_in_order` (its `delivery_state`) or just sent (its `sent_through`)."""
    if contact.direction != Direction.OUTBOUND or contact.channel == Channel.CALL:
        return None
    if contact.sent_through_id is None:
        return NO_CONNECTOR
    state = getattr(contact, "delivery_state", None) or contact.sent_through.state
    return DELIVERY.get(state, QUEUED)


def author_of(contact: Contact) -> str | None:
    """The agent who wrote or called; None for the buyer (an inbound contact, whoever logged it)."""
    if contact.direction == Direction.INBOUND or contact.by_id is None:
        return None
    return contact.by.get_username()


def side_of(contact: Contact) -> Literal["buyer", "shop"]:
    return BUYER if contact.direction == Direction.INBOUND else SHOP


def speaker(contact: Contact) -> Literal["buyer", "shop"] | None:
    """Who said something in this contact: a reached call is the shop speaking with the buyer
    (whoever called); a call that reached nobody says nothing."""
    if contact.channel == Channel.CALL:
        if contact.outcome == Outcome.REACHED:
            return SHOP
        return BUYER if contact.direction == Direction.INBOUND else None
    return side_of(contact)


def thread(case: Case) -> list[ThreadItem]:
    """Every contact (message or call) oldest first, with the timeline's other events (the
    workflow's steps, opening, claims, pauses, decisions, files) as markers, merged in time order."""
    items = [
        ThreadItem(kind=CALL if c.channel == Channel.CALL else MESSAGE, at=c.at, side=side_of(c),
                   author=author_of(c), contact=c, delivery=delivery_of(c))
        for c in case.contacts.all()
    ]
    labels: dict[str, Any] = {name: spec.custom.get("label", name)
                              for name, spec in transitions_of(case).items()}
    labels.update(events.LABELS)
    items += [
        ThreadItem(kind=MARKER, at=e.at, side=None,
                   author=e.actor.get_username() if e.actor_id else None, event=e, type=e.type,
                   label=labels.get(e.type, e.type.replace("_", " ")))
        for e in case.timeline.all() if e.type not in NOT_MARKERS
    ]
    # A marker before a contact at the same moment (a step, then what was said in it); each kind
    # keeps its own order (both are loaded by time, then id).
    ranked = sorted(enumerate(items), key=lambda pair: (pair[1].at, pair[1].kind != MARKER,
                                                        pair[0]))
    return [item for _, item in ranked]


def last_speaker(case: Case) -> Literal["buyer", "shop"] | None:
    """Who spoke last: "buyer", "shop", or None when nobody has yet."""
    for contact in reversed(list(case.contacts.all())):
        said = speaker(contact)
        if said is not None:
            return said
    return None


def buyer_waiting_since(case: Case) -> datetime | None:
    """When the buyer's oldest message since the shop last spoke arrived; None when the shop spoke
    last or nobody has spoken."""
    waiting: datetime | None = None
    for contact in case.contacts.all():  # oldest first
        said = speaker(contact)
        if said == SHOP:
            waiting = None
        elif said == BUYER and waiting is None:
            waiting = contact.at
    return waiting
