"""The negative-review workflow (中差评): one revision request, the revised review, or a public reply;
the case closes only then. Through the real services."""

from __future__ import annotations

import pytest

from cases import services
from cases.models import Case, Contact, TimelineEvent
from config.service_errors import Conflict, InvalidInput
from reviews.models import Review
from tests.factories import log, step, walk
from tests.reviews.factories import TO_REMEDIED, open_review_case
from tests.reviews.review_scene import state_of, written


def test_asking_for_a_revision_is_logged_as_an_outbound_message(shop, agent):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)
    contacts = Contact.objects.count()

    step(case, "request_revision", agent, message="方便的话能否更新一下评价？")

    assert state_of(case) == "revision_requested"
    assert Review.objects.get(case=case).revision_requested_at is not None
    assert Contact.objects.count() == contacts + 1
    contact = Contact.objects.order_by("-id").first()
    assert (contact.direction, contact.body, contact.customer_id) == (
        "outbound", "方便的话能否更新一下评价？", case.customer_id)


def test_a_revision_is_requested_at_most_once_even_after_a_hand_over(
    shop, agent, teammate, supervisor
):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED, "request_revision")
    step(case, "hand_over", supervisor, to=teammate.username, reason="The buyer asked.")
    case = walk(case, teammate, *TO_REMEDIED)
    before = written(case)

    with pytest.raises(Conflict) as refused:
        step(case, "request_revision", teammate)

    assert "once" in str(refused.value.message)
    assert written(case) == before


def test_no_revision_is_requested_from_a_buyer_who_asked_not_to_be_contacted(shop, agent):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)
    log(case, agent, channel="chat", direction="inbound", outcome="do_not_contact",
        body="别再联系我了。")
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "request_revision", agent)

    assert written(case) == before
    assert Review.objects.get(case=case).revision_requested_at is None


def test_a_revised_review_is_recorded_and_the_case_closes(shop, agent):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED, "request_revision")

    case = step(case, "mark_revised", agent, new_rating="好评")
    case = step(case, "close", agent)

    row = Case.objects.get(pk=case.pk)
    assert (row.state, row.closed_as) == ("closed", "resolved")
    assert row.resolved_at is not None and row.closed_at is not None
    assert Review.objects.get(case=case).revised_rating == 5


@pytest.mark.parametrize("new_rating", [0, 6, "great", "", None])
def test_a_revised_rating_must_be_a_rating(shop, agent, new_rating):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED, "request_revision")
    before = written(case)

    with pytest.raises(InvalidInput) as refused:
        services.run_transition(case_id=case.pk, name="mark_revised", by=agent,
                                data={"new_rating": new_rating})

    assert "new_rating" in refused.value.errors
    assert written(case) == before


@pytest.mark.parametrize("path", [
    (), ("calm",), ("calm", "listen"), TO_REMEDIED, (*TO_REMEDIED, "request_revision"),
    ("escalate",),
])
def test_a_public_reply_is_possible_from_every_open_state(shop, agent, path):
    case = walk(open_review_case(shop, agent), agent, *path)

    case = step(case, "reply_publicly", agent, text="感谢您的反馈，我们已为您补发。")

    assert state_of(case) == "replied"
    assert Review.objects.get(case=case).public_reply == "感谢您的反馈，我们已为您补发。"
    assert Case.objects.get(pk=case.pk).resolved_at is not None
    step(case, "close", agent)
    assert state_of(case) == "closed"


@pytest.mark.parametrize("state_path", [(), ("calm",), ("calm", "listen"), TO_REMEDIED,
                                        (*TO_REMEDIED, "request_revision")])
def test_a_case_closes_only_once_revised_or_replied(shop, agent, state_path):
    case = walk(open_review_case(shop, agent), agent, *state_path)
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "close", agent)

    assert written(case) == before


def test_a_public_reply_with_a_phrase_to_avoid_is_refused_with_its_positions(shop, agent):
    case = open_review_case(shop, agent)
    before = written(case)

    with pytest.raises(InvalidInput) as refused:
        step(case, "reply_publicly", agent, text="我们很重视，但是我不能退款。")

    assert "text" in refused.value.errors
    assert len(refused.value.errors["text"]) == 2
    assert refused.value.extra["phrase_hits"] == [
        {"phrase": "但是", "start": 6, "end": 8, "suggestion": "称赞之后不要接“但是”"},
        {"phrase": "我不能", "start": 8, "end": 11, "suggestion": "看看我们能够帮你做什么"},
    ]
    assert written(case) == before


def test_a_closed_case_cannot_be_replied_to_again(shop, agent):
    case = walk(open_review_case(shop, agent), agent, "reply_publicly", "close")
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "reply_publicly", agent)

    assert written(case) == before


def test_a_revision_request_with_a_phrase_to_avoid_is_sent_with_the_hits_as_a_warning(
    shop, agent
):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)

    step(case, "request_revision", agent, message="东西不错，但是能否改一下评价？")

    assert state_of(case) == "revision_requested"
    event = TimelineEvent.objects.filter(case=case, type="contact_logged").order_by("-id").first()
    assert event.data["phrase_hits"] == [
        {"phrase": "但是", "start": 5, "end": 7, "suggestion": "称赞之后不要接“但是”"}]
