from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import deadlines, events, outgoing, reminders
from cases.contact_policy import is_answer, next_contact_time, outbound_refusal
from cases.inputs import BuyerProfileInput, ContactInput
from cases.models import Case, Channel, Contact, Customer, Direction, Outcome, ThreatSource
from cases.phrases import PhraseHit, check_phrases, rules_for
from cases.services.clock import resume_locked
from cases.services.common import check_may, lock_case, validate
from cases.services.threats import flag_threats
from cases.services.vectors import represent_after_commit
from config.service_errors import Conflict


@dataclass(frozen=True)
class LoggedContact:
    contact: Contact
    phrase_hits: list[PhraseHit]  # an outbound message is saved, with these as warnings


def log_contact(*, case_id: int, by: Any, data: Mapping[str, Any]) -> LoggedContact:
    """Record a call or message with the buyer.

    An outbound one is outreach, refused (Conflict with a `code`) when the buyer asked not to be
    contacted, the shop's contact limit is used up, or it is inside the buyer's quiet hours; but a
    message that answers a buyer who wrote on the case in the last 24 hours is an answer, never
    refused (cases/contact_policy.py, REPLY_WINDOW). A buyer who asks not to be contacted is marked
    so.
    """
    with transaction.atomic():
        case = lock_case(case_id)
        check_may(by, "cases.work_case", case, _("You may not work on this case."))
        values = validate(ContactInput, data, case=case)
        return log_contact_locked(case, by=by, values=values)


def log_contact_locked(case: Case, *, by: Any, values: Mapping[str, Any],
                       sending: bool = False, may_answer: bool = True) -> LoggedContact:
    """`log_contact` on a case the caller has locked in its transaction and checked `by` may work
    (a transition whose step is a message to the buyer, like a review's revision request; a message
    sent from the reply box, `send_message`).

    Everything else is the same: an outbound message that answers a buyer who wrote on the case
    within REPLY_WINDOW is an answer (no limit, no quiet hours, not counted); any other outbound
    contact is outreach, with the buyer locked and the refusals checked again; the contact and its
    event, the first response, the deadlines and the reminders brought in line. `sending`: the
    message is sent to the shop's connector (a `message.sent` outgoing event, when the shop has
    one) and its timeline event is `message_sent`. `may_answer=False`: outreach whatever the buyer
    wrote (a request to revise a review is never an answer).
    """
    now = timezone.now()
    hits: list[PhraseHit] = []
    outbound = values["direction"] == Direction.OUTBOUND
    outreach = outbound and not (may_answer and is_answer(case, values["channel"], now))
    if outreach:
        # Lock the buyer: two agents logging at once cannot both pass the limit.
        customer = (Customer.objects.select_for_update().filter(pk=case.customer_id).first()
                    if case.customer_id else None)
        refusal = outbound_refusal(customer=customer, shop=case.shop, at=now)
        if refusal is not None:
            raise Conflict(refusal.message, state=case.state, code=refusal.code)
    if outbound and values["channel"] != Channel.CALL and values.get("body"):
        hits = check_phrases(values["body"], rules_for(case.shop))
    found = [hit.as_dict() for hit in hits]
    contact = Contact.objects.create(case=case, customer_id=case.customer_id, by=by, at=now,
                                     outreach=outreach, phrase_hits=found, **values)
    if sending:
        outgoing.record_message(case, contact)
    if values.get("outcome") == Outcome.DO_NOT_CONTACT and case.customer_id:
        Customer.objects.filter(pk=case.customer_id).update(do_not_contact=True)
    if outbound and case.first_responded_at is None:
        case.first_responded_at = now  # reaching out or answering is a first response
    if case.resolved_at is not None and values.get("outcome") == Outcome.REACHED:
        case.follow_up_due_at = None  # the follow-up call happened
    deadlines.refresh(case)
    case.save()
    record = events.message_sent if sending else events.contact_logged
    record(case=case, by=by, contact=contact, phrase_hits=found)
    if values["direction"] == Direction.INBOUND and values.get("body"):
        # After the message's own event: the timeline reads the buyer's words, then the flag.
        flag_threats(case, texts=[values["body"]], source=ThreatSource.MESSAGE, contact=contact)
        represent_after_commit([case.pk])  # the buyer said more: their text's vector follows
    if values["direction"] == Direction.INBOUND and case.clock_paused_at is not None:
        resume_locked(case, by=by, why="buyer_replied")  # the buyer answered: the wait is over
    else:
        reminders.sync_case_reminders(case)
    if values.get("outcome") == Outcome.NO_ANSWER and case.is_open:
        _schedule_retry(case, contact)
    return LoggedContact(contact, hits)


def _schedule_retry(case: Case, contact: Contact) -> None:
    """Nobody answered: remind the agent to call again at the next time the buyer may be called."""
    clock = deadlines.clock_for(case.shop, case.kind)
    due = next_contact_time(customer=case.customer, shop=case.shop,
                            at=contact.at + clock.retry_contact_after)
    if due is not None:
        reminders.schedule_retry_contact(case, contact, due)


def remind_when_contact_allowed(*, case_id: int, by: Any) -> datetime:
    """"Remind me at 08:00": a contact was refused for the buyer's quiet hours (or the contact
    limit); remind the case's agent when the buyer may be contacted again. Returns that time.

    Conflict (code do_not_contact) when the buyer may never be contacted; asking twice for the same
    time makes one reminder.
    """
    with transaction.atomic():
        case = lock_case(case_id)
        check_may(by, "cases.work_case", case, _("You may not work on this case."))
        if not case.is_open:
            raise Conflict(_("The case is closed."), state=case.state)
        due = next_contact_time(customer=case.customer, shop=case.shop, at=timezone.now())
        if due is None:
            raise Conflict(_("The buyer asked not to be contacted. Only a public reply is "
                             "possible."), state=case.state, code="do_not_contact")
        reminders.schedule_contact_allowed(case, due, asked_by=by)
    return due


def set_buyer_profile(*, case_id: int, by: Any, data: Mapping[str, Any]) -> Customer:
    """The agent's judgement of the buyer (temperament, knowledge of the product), for hints."""
    with transaction.atomic():
        case = lock_case(case_id)
        check_may(by, "cases.work_case", case, _("You may not work on this case."))
        if case.customer_id is None:
            raise Conflict(_("This case has no buyer on record."), state=case.state)
        values = validate(BuyerProfileInput, data, case=case)
        customer = Customer.objects.select_for_update().get(pk=case.customer_id)
        for field, value in values.items():
            setattr(customer, field, value)
        customer.save(update_fields=[*values] or None)
        events.buyer_profiled(case=case, by=by, profile=values)
    return customer
