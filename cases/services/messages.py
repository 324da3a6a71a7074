"""The agent's reply to the buyer, sent from the case's conversation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cases.inputs import MessageInput
from cases.models import Contact, Direction
from cases.phrases import PhraseHit
from cases.services.common import check_may, lock_case, validate
from cases.services.contacts import log_contact_locked


@dataclass(frozen=True)
class SentMessage:
    contact: Contact
    phrase_hits: list[PhraseHit]  # warnings: the message is sent all the same


def send_message(*, case_id: int, by: Any, data: Mapping[str, Any]) -> SentMessage:
    """Send a message to the buyer: `{"body", "channel": "chat" | "sms" | "email"}`.

    Recorded as an outbound contact (the one record of what was said), with the phrases to avoid it
    uses as warnings (on the contact and on the timeline's `message_sent` event), and handed to the
    shop's connector as a `message.sent` outgoing event after commit (none when the shop has no
    connector: the agent then pastes it into the marketplace's chat).

    If the buyer wrote on this case in the last 24 hours (REPLY_WINDOW) the message is an answer:
    no contact limit, no quiet hours, not counted as outreach. That holds even for a buyer who
    asked not to be contacted: they wrote to the shop, and being answered is not being contacted.
    Otherwise it is outreach, refused like a call (Conflict with the policy's `code`:
    do_not_contact, contact_limit or quiet_hours) with nothing written.

    Refused as invalid: an empty or over-long body, an unknown channel, a quick-reply variable left
    unfilled ("Fill in {order} before sending.").
    """
    with transaction.atomic():
        case = lock_case(case_id)
        check_may(by, "cases.work_case", case, _("You may not work on this case."))
        values = validate(MessageInput, data, case=case)
        logged = log_contact_locked(case, by=by, sending=True, values={
            "channel": values["channel"], "direction": Direction.OUTBOUND, "body": values["body"]})
    return SentMessage(logged.contact, logged.phrase_hits)
