"""What the review workflow writes besides the case row: the review's own fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from cases import events
from cases.models import Case, Channel, Contact, Direction
from cases.phrases import check_phrases, rules_for
from reviews.models import Review, external_id_of


def review_id_as_external_id(values: dict[str, Any]) -> str:
    return external_id_of(values["review"]["platform_review_id"])


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
    """The request is a message to the buyer: logged as an outbound contact (it counts)."""
    now = timezone.now()
    Review.objects.filter(case=case).update(revision_requested_at=now)
    contact = Contact.objects.create(case=case, customer_id=case.customer_id, by=by, at=now,
                                     channel=Channel.CHAT, direction=Direction.OUTBOUND,
                                     body=values["message"])
    hits = check_phrases(values["message"], rules_for(case.shop))
    events.contact_logged(case=case, by=by, contact=contact,
                          phrase_hits=[hit.as_dict() for hit in hits])


def record_revision(case: Case, by: Any, values: dict[str, Any]) -> None:
    Review.objects.filter(case=case).update(revised_rating=values["new_rating"])


def record_public_reply(case: Case, by: Any, values: dict[str, Any]) -> None:
    Review.objects.filter(case=case).update(public_reply=values["text"])
