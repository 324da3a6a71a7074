"""The satisfaction survey's link, words and reasons (read by the services, the pages, the API and
the timeline; the actions are in cases/services/surveys.py).

The link is `/s/<token>/` with `token = Signer(salt=SALT).sign(nonce)`: the nonce is random and
stored on the survey, the signature made with the server's secret, so a link cannot be guessed or
made up, and the staff's copy of the link (`url` in the API) is the one the buyer got.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Survey

SALT = "cases.survey"
# The survey's timeline events (cases/events.py names them).
SURVEY_PREPARED = "survey_prepared"
SURVEY_ANSWERED = "survey_answered"
REASONS = {
    "do_not_contact": _("The buyer asked not to be contacted: no survey was sent."),
    "contact_limit": _("The shop's contact limit for this buyer was reached: no survey was sent."),
    "no_connector": _("The shop has no connector: paste the survey link into the marketplace's "
                      "chat."),
    "no_buyer": _("The case has no buyer on record: no survey was sent."),
    "asked_recently": _("The buyer was asked for this case recently: no second survey."),
    "quiet_hours": _("Inside the buyer's quiet hours: the survey is sent when they end."),
}


def token_for(survey: Survey) -> str:
    return signing.Signer(salt=SALT).sign(survey.nonce)


def url_for(survey: Survey) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('survey', args=[token_for(survey)])}"


def survey_by_token(token: str) -> Survey | None:
    try:
        nonce = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Survey.objects.select_related("case", "case__shop").filter(nonce=nonce).first()


def reason_text(code: str) -> str:
    return str(REASONS.get(code, "")) if code else ""


def invitation_text(url: str) -> str:
    """The message the buyer receives (both languages: the buyer's is not known)."""
    return (f"您好，您的售后问题已处理完毕。请花一分钟评价我们的服务（1–5 分）：{url}\n"
            f"Hello, your after-sales request is resolved. How did we do? One minute, 1 to 5: {url}")


def latest_survey(case: Any) -> Survey | None:
    """The case's latest survey, found through its timeline as the case loader prefetched it: no
    query for a case that never had one, one for a case that did."""
    ids = [e.data.get("survey_id") for e in case.timeline.all()
           if e.type in (SURVEY_PREPARED, SURVEY_ANSWERED) and isinstance(e.data, dict)]
    ids = [i for i in ids if i]
    return Survey.objects.filter(pk=ids[-1]).first() if ids else None


def as_api(survey: Survey | None) -> dict[str, Any]:
    """The case detail's `survey`: the latest survey of the case (`not_sent` when there is none)."""
    if survey is None:
        return {"state": "not_sent", "reason": "", "url": None, "rating": None, "comment": "",
                "answered_at": None}
    return {"state": survey.state, "reason": reason_text(survey.reason),
            "url": url_for(survey), "rating": survey.rating, "comment": survey.comment,
            "answered_at": survey.answered_at}


def survey_event_text(data: dict[str, Any]) -> str:
    """What a survey's timeline event says, in the reader's language."""
    if "rating" in data:
        words = RATING_WORDS.get(data.get("rating"), "")
        text = _("%(rating)s of 5 (%(words)s).") % {"rating": data.get("rating"), "words": words}
        return f"{text} {data['comment']}" if data.get("comment") else str(text)
    if data.get("reason"):
        return reason_text(data["reason"])
    return str(_("The survey was sent to the buyer."))


# What each rating means, beside its number (the page shows words, not only stars).
RATING_WORDS = {
    1: _("Very unhappy"),
    2: _("Unhappy"),
    3: _("It was all right"),
    4: _("Happy"),
    5: _("Very happy"),
}
