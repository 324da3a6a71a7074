"""What an event says on the timeline comes in two parts: the system's words in the reader's
language, and a person's words as they wrote them (marked not to be translated on the page)."""

from __future__ import annotations

from django.utils import translation

from cases.events import event_words
from cases.models import TimelineEvent


def event(type_: str, data: dict, actor=None) -> TimelineEvent:
    return TimelineEvent(type=type_, data=data, actor=actor)


def test_a_survey_answer_says_its_rating_in_words_and_keeps_the_buyers_comment_apart():
    answered = event("survey_answered", {"rating": 5, "comment": "Quick and friendly, thank you"})

    with translation.override("zh-hans"):
        said, written = event_words(answered)

    assert "Quick" not in said and "5" in said
    assert written == "Quick and friendly, thank you"


def test_a_buyers_message_logged_by_the_system_is_their_words_not_the_systems():
    said, written = event_words(event("contact_logged", {"body": "不给个说法我就向平台投诉"}))

    assert (said, written) == ("", "不给个说法我就向平台投诉")


def test_the_systems_own_reason_is_said_in_the_readers_language(agent):
    reason = "The first response deadline passed."
    said, written = event_words(event("escalate", {"reason": reason}))
    typed, by_person = event_words(event("escalate", {"reason": "买家很急"}, actor=agent))

    assert (said, written) == (reason, "")
    assert (typed, by_person) == ("", "买家很急")
