"""The demo buyers who answered their satisfaction survey.

The demo shop has no connector, so each case closed as resolved has its survey not sent, its link
for the staff to paste into the marketplace's chat (cases/services/surveys.py). In about half of the
stories that end with the closing, the staff did, and the buyer answered a few hours later through
the same service as the public page (`answer_survey`), under the story's clock, in their own
language: mostly happy, some not (1 or 2 stars tell the agent and the supervisors, delivered then
like every story's reminder).
So the case page, the satisfaction report and its figures have answers to show.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from cases.models import Case, ClosedAs, State, Survey, SurveyState
from cases.services.surveys import answer_survey
from cases.surveys import token_for
from demo.stories import SEED
from demo.story_clock import StoryClock

ANSWERED_SHARE = 0.5
RATINGS = (5, 4, 3, 2, 1)
RATING_WEIGHTS = (45, 30, 12, 8, 5)
# What buyers wrote, by rating, in Chinese and in English (("", ""): no comment).
COMMENTS: dict[int, tuple[tuple[str, str], ...]] = {
    5: (("客服态度很好，处理得很快，谢谢！", "Quick and friendly, thank you!"),
        ("当天就解决了，满意。", "Solved the same day. Happy."), ("", "")),
    4: (("处理得还可以，就是等了一天。", "Sorted out, though it took a day."), ("", "")),
    3: (("问题解决了，但沟通有点慢。", "Solved, but the replies were slow."), ("", "")),
    2: (("来回解释了好几次才处理。", "I had to explain it three times."),),
    1: (("太慢了，再也不买了。", "Far too slow. Never again."),),
}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def answer_if_the_buyer_did(case_id: int, external_id: str, clock: StoryClock,
                            now: datetime) -> Survey | None:
    """The buyer's answer to the survey of a story that ended with the closing as resolved, a few
    hours later if before `now` (drawn per case: the same on every run); None when they did not."""
    case = Case.objects.only("state", "closed_as", "description").get(pk=case_id)
    if case.state != State.CLOSED or case.closed_as != ClosedAs.RESOLVED:
        return None
    survey = (Survey.objects.filter(case_id=case_id, state=SurveyState.NOT_SENT,
                                    reason="no_connector").order_by("-created_at").first())
    rng = random.Random(f"{SEED}-{external_id}-survey")
    if survey is None or rng.random() >= ANSWERED_SHARE:
        return None
    answered_at = max(clock.now, survey.created_at) + timedelta(minutes=rng.randint(40, 30 * 60))
    if answered_at >= min(now, survey.expires_at):
        return None
    rating = rng.choices(RATINGS, weights=RATING_WEIGHTS)[0]
    chinese, english = rng.choice(COMMENTS[rating])
    comment = chinese if CHINESE.search(case.description) else english  # the buyer's language
    clock.advance(case_id, answered_at)
    return answer_survey(token=token_for(survey), data={"rating": rating, "comment": comment})
