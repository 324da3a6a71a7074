"""One small constructor per timeline event type. The timeline is append-only."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import approval
from cases.models import Attachment, Case, Contact, TimelineEvent
from cases.surveys import SURVEY_ANSWERED, SURVEY_PREPARED, survey_event_text
from cases.workflows import transition_label, transitions_of

CASE_OPENED = "case_opened"
CASE_CLAIMED = "case_claimed"
CONTACT_LOGGED = "contact_logged"


def _opened(case: Case, by: Any) -> TimelineEvent:
    return TimelineEvent(case=case, type=CASE_OPENED, actor=by, to_state=case.state,
                         data={"kind": case.kind, "external_id": case.external_id})


def case_opened(*, case: Case, by: Any) -> TimelineEvent:
    event = _opened(case, by)
    event.save(force_insert=True)
    return event


def cases_opened(*, cases: list[Case], by: Any) -> list[TimelineEvent]:
    """The same event for cases opened in bulk (an import): one INSERT."""
    return TimelineEvent.objects.bulk_create([_opened(case, by) for case in cases])


def case_claimed(*, case: Case, by: Any) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=case, type=CASE_CLAIMED, actor=by, from_state=case.state, to_state=case.state,
        data={"assignee": by.get_username()},
    )


CASE_ASSIGNED = "case_assigned"


def case_assigned(*, case: Case, by: Any, to: Any) -> TimelineEvent:
    """A supervisor gave an unassigned case to an agent."""
    return TimelineEvent.objects.create(
        case=case, type=CASE_ASSIGNED, actor=by, from_state=case.state, to_state=case.state,
        data={"assignee": to.get_username()},
    )


def transition_made(
    *, case: Case, by: Any, name: str, from_state: str, data: dict[str, Any]
) -> TimelineEvent:
    """The event's type is the transition's name (acknowledge, calm, listen, …)."""
    return TimelineEvent.objects.create(
        case=case, type=name, actor=by, from_state=from_state, to_state=case.state, data=data
    )


def contact_logged(
    *, case: Case, by: Any, contact: Contact, phrase_hits: list[dict[str, Any]] | None = None
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=case, type=CONTACT_LOGGED, actor=by, at=contact.at,
        from_state=case.state, to_state=case.state, data=_contact_data(contact, phrase_hits),
    )


MESSAGE_SENT = "message_sent"


def message_sent(
    *, case: Case, by: Any, contact: Contact, phrase_hits: list[dict[str, Any]] | None = None
) -> TimelineEvent:
    """A message sent to the buyer from the reply box: an answer or outreach, and its warnings."""
    return TimelineEvent.objects.create(
        case=case, type=MESSAGE_SENT, actor=by, at=contact.at,
        from_state=case.state, to_state=case.state,
        data={**_contact_data(contact, phrase_hits), "outreach": contact.outreach},
    )


# The events a contact writes: the conversation shows the contact itself, not these.
CONTACT_EVENTS = (CONTACT_LOGGED, MESSAGE_SENT)


def _contact_data(contact: Contact, phrase_hits: list[dict[str, Any]] | None) -> dict[str, Any]:
    return {
        "contact_id": contact.pk,
        "channel": contact.channel,
        "direction": contact.direction,
        "outcome": contact.outcome,
        "body": contact.body,
        **({"phrase_hits": phrase_hits} if phrase_hits else {}),
    }


CLOCK_PAUSED = "clock_paused"
CLOCK_RESUMED = "clock_resumed"
PLATFORM_DECIDED = "platform_decided"


def clock_paused(*, case: Case, by: Any, reason: str) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=case, type=CLOCK_PAUSED, actor=by, at=case.clock_paused_at,
        from_state=case.state, to_state=case.state, data={"reason": reason},
    )


def clock_resumed(*, case: Case, by: Any, paused_at: Any, resumed_at: Any,
                  why: str) -> TimelineEvent:
    """The end of a pause, with the whole interval: the shop's deadlines moved by its length."""
    return TimelineEvent.objects.create(
        case=case, type=CLOCK_RESUMED, actor=by, at=resumed_at,
        from_state=case.state, to_state=case.state,
        data={"paused_at": paused_at.isoformat(), "resumed_at": resumed_at.isoformat(),
              "paused_seconds": int((resumed_at - paused_at).total_seconds()), "why": why},
    )


def platform_decided(*, case: Case, by: Any, decision: str, note: str) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=case, type=PLATFORM_DECIDED, actor=by, at=case.platform_decided_at,
        from_state=case.state, to_state=case.state,
        data={"decision": decision, "note": note,
              "appeal_due_at": case.appeal_due_at.isoformat() if case.appeal_due_at else None},
    )


BUYER_PROFILED = "buyer_profiled"


def buyer_profiled(*, case: Case, by: Any, profile: dict[str, str]) -> TimelineEvent:
    return TimelineEvent.objects.create(
        case=case, type=BUYER_PROFILED, actor=by, from_state=case.state, to_state=case.state,
        data=profile,
    )


ATTACHMENT_ADDED = "attachment_added"


def attachment_added(*, case: Case, by: Any, attachment: Attachment) -> TimelineEvent:
    """A file kept for the case: its name, type and size (never its content)."""
    return TimelineEvent.objects.create(
        case=case, type=ATTACHMENT_ADDED, actor=by, at=attachment.uploaded_at,
        from_state=case.state, to_state=case.state,
        data={"attachment_id": attachment.pk, "name": attachment.original_name,
              "content_type": attachment.content_type, "size": attachment.size},
    )


PII_REVEALED = "pii_revealed"


def pii_revealed(*, case: Case, by: Any, field: str) -> TimelineEvent:
    """Someone saw the buyer's phone or address unmasked: which field, never its value."""
    return TimelineEvent.objects.create(
        case=case, type=PII_REVEALED, actor=by, from_state=case.state, to_state=case.state,
        data={"field": field},
    )


BUYER_DETAILS_CHANGED = "buyer_details_changed"


def buyer_details_changed(*, cases: list[tuple[int, str]], by: Any, fields: list[str],
                          from_case: int, integration: str = "") -> list[TimelineEvent]:
    """The buyer's details were changed explicitly: one event on each of the buyer's open cases
    (`(id, state)` pairs), naming the fields (never the values), the case it was done from, and the
    integration (an API token or the marketplace's webhook) when no person did it."""
    data = {"fields": fields, "from_case": from_case,
            **({"integration": integration} if integration else {})}
    return TimelineEvent.objects.bulk_create(
        TimelineEvent(case_id=case_id, type=BUYER_DETAILS_CHANGED, actor=by, from_state=state,
                      to_state=state, data=data)
        for case_id, state in cases
    )


THREAT_FLAGGED = "threat_flagged"


def _threats_event(case: Case, by: Any, flags: list[dict[str, Any]], source: str,
                   contact: Contact | None) -> TimelineEvent:
    return TimelineEvent(
        case=case, type=THREAT_FLAGGED, actor=by, from_state=case.state, to_state=case.state,
        data={"threats": [{"code": f["code"], "matched": f["matched"]} for f in flags],
              "source": source, **({"contact_id": contact.pk} if contact is not None else {})})


def threats_flagged(*, case: Case, by: Any, flags: list[dict[str, Any]], source: str,
                    contact: Contact | None = None) -> TimelineEvent:
    """The buyer's words threaten (a complaint, legal action, exposure, a review for money): which
    kinds, with the words, and where they came in (never an action against the buyer)."""
    event = _threats_event(case, by, flags, source, contact)
    event.save(force_insert=True)
    return event


def threats_flagged_in_bulk(*, cases: list[Case]) -> list[TimelineEvent]:
    """The same event for cases opened in bulk with flags (an import): one INSERT."""
    return TimelineEvent.objects.bulk_create(
        [_threats_event(case, None, case.threats, case.threats[0]["source"], None)
         for case in cases])
def record_survey(*, case: Case, type: str, data: dict[str, Any]) -> TimelineEvent:
    """A satisfaction survey was sent, held back or not sent (SURVEY_PREPARED, with the reason),
    or answered (SURVEY_ANSWERED, with the rating and the buyer's comment). By the system."""
    return TimelineEvent.objects.create(case=case, type=type, actor=None, from_state=case.state,
                                        to_state=case.state, data=data)


# What the pages call each event that is not a transition (a transition is named by its workflow's
# label: cases/pages/console.py, timeline_rows).
LABELS = {
    CASE_OPENED: _("case opened"),
    CASE_CLAIMED: _("case claimed"),
    CASE_ASSIGNED: _("case assigned"),
    CONTACT_LOGGED: _("contact logged"),
    MESSAGE_SENT: _("message sent"),
    CLOCK_PAUSED: _("clock paused"),
    CLOCK_RESUMED: _("clock resumed"),
    PLATFORM_DECIDED: _("platform decided"),
    BUYER_PROFILED: _("buyer profile set"),
    ATTACHMENT_ADDED: _("file attached"),
    PII_REVEALED: _("buyer details revealed"),
    BUYER_DETAILS_CHANGED: _("buyer details changed"),
    THREAT_FLAGGED: _("threat flagged"),
    SURVEY_PREPARED: _("satisfaction survey"),
    SURVEY_ANSWERED: _("survey answered"),
}


def event_label(case: Case, event_type: str) -> str:
    """What the pages call an event: a transition by its workflow's label, the others by LABELS."""
    if event_type in transitions_of(case):
        return transition_label(case, event_type)
    label = LABELS.get(event_type)
    return str(label) if label is not None else event_type.replace("_", " ")


def reason_text(reason: str, *, by_system: bool) -> str:
    """An event's reason as the page shows it: what a person typed stays as typed; the system's
    own reasons (the breach reasons of cases/services/escalation.py, the marketplace's default) are
    kept as their English msgid and shown in the reader's language."""
    return gettext(reason) if by_system and reason else reason


EVENT_TEXT = ("reason", "message", "note", "body")


def event_words(event: TimelineEvent) -> tuple[str, str]:
    """The words an event carries, as two: what the system says of it, in the reader's language
    (a survey's rating, why a refund waits, the system's own reasons), and what a person wrote, as
    written (a reason, a message, a note, a contact's body, a buyer's comment), which the page
    marks as not to be translated."""
    data = event.data if isinstance(event.data, dict) else {}
    if event.type in (SURVEY_PREPARED, SURVEY_ANSWERED):
        said = {key: value for key, value in data.items() if key != "comment"}
        return survey_event_text(said), str(data.get("comment") or "")
    if data.get(approval.NEEDS_APPROVAL):  # a refund proposed past the shop's limits: why it waits
        return approval.reasons_text(data[approval.NEEDS_APPROVAL]), ""
    key = next((k for k in EVENT_TEXT if data.get(k)), None)
    if key is None:
        return "", ""
    if event.actor_id is None and key == "reason":
        return reason_text(str(data[key]), by_system=True), ""
    return "", str(data[key])

