"""The buyer's satisfaction survey on the case page, in words (templates/pages/survey_panel.html).

Read through the API's own selector (`cases.surveys.latest_survey`: no query for a case that was
never surveyed, one for a case that was), once per page, and formatted here in the shop's time zone.

The link, with a copy button, is offered where pasting it is the next step or a help: the shop has
no connector (the staff paste it into the marketplace's chat) or it was sent and the buyer may ask
for it again. Never for a buyer who asked not to be contacted or whose contact limit is used up,
never before the end of the buyer's quiet hours (it is sent then), never once answered or expired.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from cases import surveys
from cases.models import Case, SurveyState

# Not sent for these reasons, the staff paste the link themselves.
PASTE = frozenset({"no_connector"})


def survey_panel(case: Case, now: datetime) -> dict[str, Any] | None:
    """What the case page says of the case's latest survey; None when there is none."""
    survey = surveys.latest_survey(case)
    if survey is None:
        return None
    zone = ZoneInfo(case.shop.time_zone)

    def at(value: datetime | None) -> str:
        return f"{value.astimezone(zone):%Y-%m-%d %H:%M}" if value else ""

    state = survey.state
    answered = state == SurveyState.ANSWERED
    expired = not answered and survey.expires_at <= now
    notes: list[str] = []
    if answered:
        headline = _("Answered %(at)s") % {"at": at(survey.answered_at)}
    elif state == SurveyState.SCHEDULED:
        headline = _("Scheduled for %(at)s") % {"at": at(survey.send_at)}
        notes.append(surveys.reason_text("quiet_hours"))
    elif state == SurveyState.SENT:
        headline = _("Sent %(at)s") % {"at": at(survey.sent_at)}
        notes.append(_("The link expired %(at)s without an answer.") % {"at": at(survey.expires_at)}
                     if expired else
                     _("Waiting for the buyer's answer; the link is open until %(at)s.")
                     % {"at": at(survey.expires_at)})
    else:
        headline = _("Not sent")
        notes.append(surveys.reason_text(survey.reason))
        if survey.reason in PASTE:
            notes.append(_("The link expired %(at)s without an answer.") % {"at": at(survey.expires_at)}
                         if expired else
                         _("The link is open until %(at)s.") % {"at": at(survey.expires_at)})
    if _asked_again_recently(case):
        notes.append(surveys.reason_text("asked_recently"))
    offer_link = not answered and not expired and (
        state == SurveyState.SENT or (state == SurveyState.NOT_SENT and survey.reason in PASTE))
    return {
        "state": state, "headline": headline, "notes": [note for note in notes if note],
        "rating": survey.rating if answered else None,
        "rating_words": str(surveys.RATING_WORDS.get(survey.rating, "")) if answered else "",
        "comment": survey.comment if answered else "",
        "url": surveys.url_for(survey) if offer_link else "",
    }


def _asked_again_recently(case: Case) -> bool:
    """The case was resolved again within the shop's interval: its last survey event says so
    (from the prefetched timeline, no query)."""
    last = None
    for event in case.timeline.all():
        if event.type in (surveys.SURVEY_PREPARED, surveys.SURVEY_ANSWERED):
            last = event
    data = last.data if last is not None and isinstance(last.data, dict) else {}
    return data.get("reason") == "asked_recently"
