"""The buyer's satisfaction survey (CSAT): prepared when a case closes as resolved, sent once
through the shop's connector as an outreach message, answered once on a public page.

- `prepare_survey(case)` runs inside the closing transition's transaction (run_transition), so
  every road that closes a case prepares it. One per case; a reopened case resolved
  again is asked again only `Shop.survey_again_after_days` after its last survey.
- Sending counts as a contact and follows the contact policy (cases/contact_policy.py): a buyer
  who asked not to be contacted, or whose contact limit is used up, gets none (the survey says
  why, and so does the timeline); inside the buyer's quiet hours it is scheduled for when they end
  and `send_scheduled_surveys` (the beat, every minute) sends it then, checking again. A shop
  without a connector gets the link for its staff to paste (`reason: no_connector`).
- The message goes out through `log_contact_locked(sending=True)`, the reply box's own road
  (an outbound contact and the `message.sent` outgoing event), in the transaction that marks the
  survey sent: exactly once.
- The link is signed by this server around a random nonce (cases/surveys.py).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases import events, reminders
from cases.contact_policy import next_contact_time, outbound_refusal
from cases.models import Case, Channel, ClosedAs, Customer, Direction, Survey, SurveyState
from cases.services.common import lock_case, validate
from cases.services.contacts import log_contact_locked
from cases.surveys import invitation_text, survey_by_token, url_for
from config.service_errors import Conflict, NotFound
from notifications.models import Audience, ReminderKind

LOW_RATINGS = (1, 2)  # the agent and the supervisors hear of these
SURVEY_PREPARED, SURVEY_ANSWERED = events.SURVEY_PREPARED, events.SURVEY_ANSWERED


# --- preparing and sending --------------------------------------------------------------------------


def prepare_survey(case: Case) -> Survey | None:
    """A survey for a case that was just closed as resolved (None otherwise, or when the case was
    asked within the shop's interval). run_transition calls it in the closing transaction, the
    case locked, after the closing step's event."""
    if case.closed_as != ClosedAs.RESOLVED:
        return None
    now = timezone.now()
    last = case.surveys.order_by("-created_at").first()
    if last is not None and last.created_at > now - timedelta(
            days=case.shop.survey_again_after_days):
        _noted(case, None, "asked_recently")
        return None
    survey = Survey.objects.create(
        case=case, nonce=secrets.token_urlsafe(16)[:22], created_at=now,
        expires_at=now + timedelta(days=settings.SURVEY_LINK_DAYS))
    _send_or_hold(case, survey, now)
    return survey


def _send_or_hold(case: Case, survey: Survey, now: datetime) -> None:
    """Send now, hold for the end of the quiet hours, or record why not (the survey row and the
    timeline)."""
    customer = (Customer.objects.select_for_update().filter(pk=case.customer_id).first()
                if case.customer_id else None)
    refusal = outbound_refusal(customer=customer, shop=case.shop, at=now)
    if customer is None:
        code = "no_buyer"
    elif refusal is not None and refusal.code == "quiet_hours":
        survey.state, survey.send_at = SurveyState.SCHEDULED, next_contact_time(
            customer=customer, shop=case.shop, at=now)
        survey.save(update_fields=["state", "send_at"])
        _noted(case, survey, "quiet_hours")
        return
    elif refusal is not None:
        code = refusal.code
    elif not case.shop.outgoing_webhook_url:
        code = "no_connector"
    else:
        logged = log_contact_locked(case, by=None, sending=True, may_answer=False, values={
            "channel": Channel.CHAT, "direction": Direction.OUTBOUND,
            "body": invitation_text(url_for(survey))})
        survey.state, survey.sent_at, survey.contact = SurveyState.SENT, now, logged.contact
        survey.expires_at = now + timedelta(days=settings.SURVEY_LINK_DAYS)
        survey.save(update_fields=["state", "sent_at", "contact", "expires_at"])
        _noted(case, survey, "")
        return
    survey.state, survey.reason = SurveyState.NOT_SENT, code
    survey.save(update_fields=["state", "reason"])
    _noted(case, survey, code)


def _noted(case: Case, survey: Survey | None, reason: str) -> None:
    events.record_survey(case=case, type=SURVEY_PREPARED, data={
        "survey_id": survey.pk if survey else None,
        "state": survey.state if survey else SurveyState.NOT_SENT, "reason": reason})


def send_scheduled_surveys(now: datetime | None = None) -> int:
    """Send the surveys whose buyer's quiet hours ended (a bounded batch; safe to run twice:
    each survey is re-read under lock and sent only if it is still scheduled). Returns how many
    were sent."""
    now = now or timezone.now()
    due = list(Survey.objects.filter(state=SurveyState.SCHEDULED, send_at__lte=now)
               .order_by("send_at", "id").values_list("pk", "case_id")[:settings.SURVEY_BATCH_SIZE])
    sent = 0
    for survey_id, case_id in due:
        with transaction.atomic():
            case = lock_case(case_id)
            survey = Survey.objects.select_for_update().filter(
                pk=survey_id, state=SurveyState.SCHEDULED).first()
            if survey is None:
                continue
            _send_or_hold(case, survey, timezone.now())
            sent += survey.state == SurveyState.SENT
    return sent


# --- answering ---------------------------------------------------------------------------------------


class AnswerInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5, error_messages={
        "min_value": _("Choose from 1 to 5."), "max_value": _("Choose from 1 to 5."),
        "invalid": _("Choose from 1 to 5."), "required": _("Choose from 1 to 5."),
        "null": _("Choose from 1 to 5.")})
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                    trim_whitespace=True)


def answer_survey(*, token: str, data: Any) -> Survey:
    """The buyer's one answer: `rating` 1–5 and an optional `comment`.

    NotFound for a link this server did not make, Conflict (`code`: answered or expired) for one
    already answered or expired, InvalidInput for a rating outside 1–5; nothing is written then.
    The answer goes on the case's timeline; 1 or 2 stars tell the agent and the supervisors.
    """
    found = survey_by_token(token)
    if found is None:
        raise NotFound(_("This survey link is not valid."))
    values = validate(AnswerInput, data)
    with transaction.atomic():
        case = lock_case(found.case_id)
        survey = Survey.objects.select_for_update().get(pk=found.pk)
        if survey.state == SurveyState.ANSWERED:
            raise Conflict(_("This survey was answered already. Thank you!"), state=case.state,
                           code="answered")
        now = timezone.now()
        if survey.expires_at <= now:
            raise Conflict(_("This survey link has expired."), state=case.state, code="expired")
        survey.state, survey.answered_at = SurveyState.ANSWERED, now
        survey.rating, survey.comment = values["rating"], values.get("comment", "")
        # A link the staff pasted into the marketplace's chat (no connector sent it) reached the
        # buyer: the reports count it from when it was prepared, like a sent one.
        survey.sent_at = survey.sent_at or survey.created_at
        survey.save(update_fields=["state", "answered_at", "rating", "comment", "sent_at"])
        event = events.record_survey(case=case, type=SURVEY_ANSWERED, data={
            "survey_id": survey.pk, "rating": survey.rating, "comment": survey.comment})
        if survey.rating in LOW_RATINGS:
            reminders.notify_now(case, ReminderKind.SURVEY_LOW, Audience.ASSIGNEE_AND_SUPERVISORS,
                                  event_id=event.pk, data={"rating": survey.rating,
                                                           "comment": survey.comment})
    return survey
