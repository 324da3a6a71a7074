"""What the review workflow writes besides the case row: the review's own fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rest_framework.exceptions import ValidationError

from cases.models import Case, Channel, Direction
from cases.services.contacts import log_contact_locked
from reviews.inputs import rating_from
from reviews.models import Review, external_id_of, opens_a_case


def review_id_as_external_id(values: dict[str, Any]) -> str:
    return external_id_of(values["review"]["platform_review_id"])


def review_opens_a_case(values: dict[str, Any]) -> bool:
    """A review posted on the marketplace opens a case unless its rating is good; a review or
    rating that is not valid goes on to the opening, which names what is wrong."""
    review = values.get("review")
    if not isinstance(review, dict):
        return True
    try:
        return opens_a_case(rating_from(review.get("rating")))
    except (ValueError, TypeError, ValidationError):
        return True


def review_posted_at(values: dict[str, Any]) -> datetime:
    """The marketplace's review clock (e.g. the revision window) runs from the posting."""
    return values["review"]["posted_at"]


def attach_review(case: Case, by: Any, values: dict[str, Any]) -> None:
    """The review that opened the case (one already imported without a case is attached)."""
    review = values["review"]
    if not case.description:  # the queue shows the review's words, as for imported reviews
        case.description = review["text"]
        case.save(update_fields=["description"])
    Review.objects.update_or_create(
        shop=case.shop, platform_review_id=review["platform_review_id"],
        defaults={"order": case.order, "customer": case.customer, "rating": review["rating"],
                  "text": review["text"], "posted_at": review["posted_at"],
                  "category": review.get("category", ""), "case": case},
    )


def record_cause(case: Case, by: Any, values: dict[str, Any]) -> None:
    Review.objects.filter(case=case).update(cause=values["cause"])


def record_revision_request(case: Case, by: Any, values: dict[str, Any]) -> None:
    """The request is a message to the buyer: logged as an outbound contact like any other (it
    counts against the limit, with the buyer locked; it is a first response; reminders follow).
    It is outreach even right after the buyer wrote: asking for a better rating answers nothing
    they asked (seed 003 §6.1.3, service must not turn into harassment)."""
    logged = log_contact_locked(case, by=by, may_answer=False, values={
        "channel": Channel.CHAT, "direction": Direction.OUTBOUND, "body": values["message"]})
    Review.objects.filter(case=case).update(revision_requested_at=logged.contact.at)


def record_revision(case: Case, by: Any, values: dict[str, Any]) -> None:
    Review.objects.filter(case=case).update(revised_rating=values["new_rating"])


def record_public_reply(case: Case, by: Any, values: dict[str, Any]) -> None:
    Review.objects.filter(case=case).update(public_reply=values["text"])
