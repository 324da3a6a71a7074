"""Negative-review cases through the API: opening from a review, the steps, the phrase check on
public replies, and what an unreachable buyer leaves possible."""

from __future__ import annotations

from typing import Any

import pytest

from cases.models import Case, Contact, Customer, TimelineEvent
from reviews.models import Review
from tests.factories import log, walk
from tests.reviews.factories import TO_REMEDIED, open_review_case, review_payload

CASES = "/api/v1/cases/"
CONTACT_TRANSITIONS = {"calm", "listen", "remedy", "request_revision"}


def detail(api, user, case: Case) -> dict[str, Any]:
    response = api(user).get(f"{CASES}{case.pk}/")
    assert response.status_code == 200
    return response.json()


def post_step(api, user, case: Case, name: str, data: dict[str, Any] | None = None) -> Any:
    return api(user).post(f"{CASES}{case.pk}/transitions/{name}/", data or {}, format="json")


def written() -> tuple[Any, ...]:
    return (
        sorted(Case.objects.values_list("id", "state", "assignee_id", "calmed_at",
                                        "core_problem", "chosen_remedy", "remedy_amount")),
        sorted(Review.objects.values_list("id", "rating", "cause", "revision_requested_at",
                                          "revised_rating", "public_reply", "case_id")),
        Contact.objects.count(),
        TimelineEvent.objects.count(),
        Customer.objects.count(),
    )


# --- opening ------------------------------------------------------------------------------------

def test_a_low_review_opens_a_negative_review_case(api, shop, agent):
    payload = review_payload(shop, customer="angry_buyer", platform_review_id="RV-1",
                             rating=2, text="杯子碎了", category="cups")

    response = api(agent).post(CASES, payload, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["state"], body["shop"], body["customer"]["handle"]) == (
        "negative_review", "new", "demo", "angry_buyer")
    review = Review.objects.get()
    assert (review.case_id, review.platform_review_id, review.rating, review.text,
            review.category) == (body["id"], "RV-1", 2, "杯子碎了", "cups")
    assert review.customer.handle == "angry_buyer"
    assert review.order.number == payload["order"]["number"]
    assert [e["type"] for e in body["timeline"]] == ["case_opened"]


@pytest.mark.parametrize(("rating", "stored"), [
    (1, 1), (2, 2), (3, 3), ("3", 3), ("差评", 1), ("中评", 3),
])
def test_ratings_of_three_and_below_open_a_case(api, shop, agent, rating, stored):
    response = api(agent).post(CASES, review_payload(shop, rating=rating), format="json")

    assert response.status_code == 201
    assert Review.objects.get().rating == stored


@pytest.mark.parametrize("rating", [4, 5, "4", "好评"])
def test_good_reviews_open_no_case(api, shop, agent, rating):
    response = api(agent).post(CASES, review_payload(shop, rating=rating), format="json")

    assert response.status_code == 400
    assert "rating" in response.json()["errors"]["review"]
    assert written() == ([], [], 0, 0, 0)


@pytest.mark.parametrize("rating", [0, 6, -1, 2.5, "2.5", "two", "", None, [2], {"r": 2}])
def test_a_rating_that_is_not_one_to_five_or_a_label_is_answered_400(api, shop, agent, rating):
    response = api(agent).post(CASES, review_payload(shop, rating=rating), format="json")

    assert response.status_code == 400
    assert "rating" in response.json()["errors"]["review"]
    assert written() == ([], [], 0, 0, 0)


@pytest.mark.parametrize("missing", ["platform_review_id", "rating", "text", "posted_at"])
def test_a_review_without_its_required_fields_is_answered_400(api, shop, agent, missing):
    payload = review_payload(shop)
    del payload["review"][missing]

    response = api(agent).post(CASES, payload, format="json")

    assert response.status_code == 400
    assert missing in response.json()["errors"]["review"]
    assert written() == ([], [], 0, 0, 0)


def test_a_negative_review_case_without_a_review_is_answered_400(api, shop, agent):
    payload = review_payload(shop)
    del payload["review"]

    response = api(agent).post(CASES, payload, format="json")

    assert response.status_code == 400
    assert "review" in response.json()["errors"]
    assert written() == ([], [], 0, 0, 0)


def test_the_same_review_never_opens_two_cases(api, shop, agent):
    payload = review_payload(shop, platform_review_id="RV-SAME")
    first = api(agent).post(CASES, payload, format="json")
    before = written()

    again = api(agent).post(CASES, payload, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert written() == before
    assert Review.objects.count() == Case.objects.count() == 1


def test_the_same_review_sent_again_after_work_began_returns_the_case_as_it_is(api, shop, agent):
    payload = review_payload(shop, platform_review_id="RV-WORKED")
    case = Case.objects.get(pk=api(agent).post(CASES, payload, format="json").json()["id"])
    walk(case, agent, "calm")
    before = written()

    again = api(agent).post(CASES, payload, format="json")

    assert (again.status_code, again.json()["id"], again.json()["state"]) == (200, case.pk, "calmed")
    assert written() == before


def test_the_same_review_id_in_another_shop_is_another_review(api, shop, other_shop, agent,
                                                             outsider):
    ours = api(agent).post(CASES, review_payload(shop, platform_review_id="RV-9"), format="json")
    theirs = api(outsider).post(CASES, review_payload(other_shop, platform_review_id="RV-9"),
                                format="json")

    assert (ours.status_code, theirs.status_code) == (201, 201)
    assert ours.json()["id"] != theirs.json()["id"]
    assert Review.objects.count() == 2


def test_an_outsider_opens_no_review_case_in_our_shop(api, shop, outsider):
    response = api(outsider).post(CASES, review_payload(shop), format="json")

    assert response.status_code == 403
    assert written() == ([], [], 0, 0, 0)


# --- the steps through the API ------------------------------------------------------------------

def test_a_review_case_is_worked_to_a_revised_review_through_the_api(api, shop, agent):
    case = open_review_case(shop, agent)
    contact = api(agent).post(f"{CASES}{case.pk}/contacts/", {
        "channel": "call", "direction": "outbound", "outcome": "reached",
        "body": "您好，看到您的评价，非常抱歉。"}, format="json")
    assert contact.status_code == 201

    steps = [
        ("calm", {"note": "Apologised."}),
        ("listen", {"core_problem": "Cracked cup.", "cause": "quality"}),
        ("remedy", {"remedy": "partial_refund", "amount": "30.00"}),
        ("request_revision", {"message": "已退款30元，方便的话能否更新评价？"}),
        ("mark_revised", {"new_rating": 5}),
        ("close", {}),
    ]
    states = []
    for name, data in steps:
        response = post_step(api, agent, case, name, data)
        assert response.status_code == 200, response.json()
        states.append(response.json()["state"])

    assert states == ["calmed", "understood", "remedied", "revision_requested", "revised",
                      "closed"]
    body = detail(api, agent, case)
    assert (body["remedy"], body["remedy_amount"], body["core_problem"]) == (
        "partial_refund", "30.00", "Cracked cup.")
    assert body["available_transitions"] == []
    review = Review.objects.get(case=case)
    assert (review.cause, review.revised_rating) == ("quality", 5)
    assert [e["type"] for e in body["timeline"]] == [
        "case_opened", "contact_logged", "case_claimed", "calm", "listen", "remedy", "contact_logged",
        "request_revision", "mark_revised", "close", "survey_prepared"]


def test_calm_before_reaching_the_buyer_is_409_and_the_detail_says_why(api, shop, agent):
    case = open_review_case(shop, agent)
    before = written()

    response = post_step(api, agent, case, "calm", {"note": "Apologised."})

    assert response.status_code == 409
    assert response.json()["state"] == "new"
    assert written() == before
    body = detail(api, agent, case)
    assert "calm" not in body["available_transitions"]
    assert "Reach the buyer" in body["blocked_transitions"]["calm"]


def test_a_refund_above_what_was_paid_is_answered_400(api, shop, agent):
    case = walk(open_review_case(shop, agent), agent, "calm", "listen")
    before = written()

    response = post_step(api, agent, case, "remedy", {"remedy": "partial_refund",
                                                      "amount": "200.00"})

    assert response.status_code == 400
    assert "128.00" in response.json()["errors"]["amount"][0]
    assert written() == before


def test_a_public_reply_with_phrases_to_avoid_is_400_with_messages_and_hits(api, shop, agent):
    case = open_review_case(shop, agent)
    before = written()

    response = post_step(api, agent, case, "reply_publicly",
                         {"text": "Sorry, but I can’t refund, it's not my job."})

    assert response.status_code == 400
    body = response.json()
    assert len(body["errors"]["text"]) == 3
    assert all("“" in message for message in body["errors"]["text"])
    assert body["phrase_hits"] == [
        {"phrase": "but", "start": 7, "end": 10,
         "suggestion": "Anything but “but” after praise"},
        {"phrase": "I can't", "start": 11, "end": 18,
         "suggestion": "Let's see what we can do for you"},
        {"phrase": "not my job", "start": 32, "end": 42,
         "suggestion": "I'm glad to do it for you"},
    ]
    assert written() == before


def test_a_clean_public_reply_answers_the_review(api, shop, agent):
    case = open_review_case(shop, agent)

    response = post_step(api, agent, case, "reply_publicly",
                         {"text": "感谢您的反馈，我们已加强包装，欢迎随时联系我们。"})

    assert response.status_code == 200
    assert response.json()["state"] == "replied"
    assert response.json()["available_transitions"] == ["close"]
    assert Review.objects.get(case=case).public_reply.startswith("感谢您的反馈")


def test_a_public_reply_without_text_is_answered_400(api, shop, agent):
    case = open_review_case(shop, agent)

    response = post_step(api, agent, case, "reply_publicly", {"text": ""})

    assert response.status_code == 400
    assert "text" in response.json()["errors"]
    assert "phrase_hits" not in response.json()
    assert Case.objects.get(pk=case.pk).state == "new"


def test_an_agent_cannot_hand_a_review_case_over(api, shop, agent, teammate):
    case = walk(open_review_case(shop, agent), agent, "calm")
    before = written()

    response = post_step(api, agent, case, "hand_over", {"to": teammate.username,
                                                         "reason": "Tired."})

    assert response.status_code == 403
    assert written() == before


def test_a_supervisor_hands_over_and_the_new_agent_starts_again(api, shop, agent, teammate,
                                                                supervisor):
    case = walk(open_review_case(shop, agent), agent, "calm", "listen")

    response = post_step(api, supervisor, case, "hand_over",
                         {"to": teammate.username, "reason": "Deadlocked."})

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["assignee"]) == ("new", "agent2")
    body = detail(api, teammate, case)
    assert "calm" in body["blocked_transitions"]
    assert post_step(api, teammate, case, "calm", {"note": "Hello again."}).status_code == 409


def test_an_outsider_cannot_see_or_work_a_review_case(api, shop, agent, outsider):
    case = open_review_case(shop, agent)
    before = written()

    assert api(outsider).get(f"{CASES}{case.pk}/").status_code == 404
    assert post_step(api, outsider, case, "reply_publicly", {"text": "Hi"}).status_code == 404
    assert written() == before


# --- a buyer who cannot be contacted: only a public reply ---------------------------------------

def do_not_contact(case: Case) -> None:
    Customer.objects.filter(pk=case.customer_id).update(do_not_contact=True)


@pytest.mark.parametrize(("path", "blocked"), [
    ((), {"calm"}),
    (("calm",), {"listen"}),
    (("calm", "listen"), {"remedy"}),
    (TO_REMEDIED, {"request_revision"}),
])
def test_a_buyer_who_asked_not_to_be_contacted_can_only_get_a_public_reply(
    api, shop, agent, path, blocked
):
    case = walk(open_review_case(shop, agent), agent, *path)
    do_not_contact(case)

    body = detail(api, agent, case)

    assert not CONTACT_TRANSITIONS & set(body["available_transitions"])
    assert "reply_publicly" in body["available_transitions"]
    assert set(body["blocked_transitions"]) == blocked
    assert all("contacted" in reason for reason in body["blocked_transitions"].values())
    assert body["contact_refusal"]["code"] == "do_not_contact"
    for name in blocked:
        before = written()
        assert post_step(api, agent, case, name, {}).status_code == 409
        assert written() == before
    assert post_step(api, agent, case, "reply_publicly",
                     {"text": "感谢您的反馈，我们已改进。"}).status_code == 200


def test_a_buyer_unreachable_after_the_contact_limit_can_only_get_a_public_reply(api, shop, agent):
    case = open_review_case(shop, agent)
    for _ in range(3):
        log(case, agent, outcome="no_answer")

    body = detail(api, agent, case)

    assert not CONTACT_TRANSITIONS & set(body["available_transitions"])
    assert set(body["available_transitions"]) >= {"reply_publicly"}
    assert "contact limit" in body["blocked_transitions"]["calm"]
    assert body["contact_refusal"]["code"] == "contact_limit"
    response = api(agent).post(f"{CASES}{case.pk}/contacts/", {
        "channel": "call", "direction": "outbound", "outcome": "no_answer"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "contact_limit")


def test_an_unreachable_buyer_after_remedy_is_not_asked_for_a_revision(api, shop, agent):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)  # 1 reached call
    for _ in range(2):
        log(case, agent, outcome="no_answer")

    body = detail(api, agent, case)

    # the buyer was reached within the window: reachable, but the limit is used up
    assert "request_revision" not in body["available_transitions"]
    assert "request_revision" in body["blocked_transitions"]
    assert body["contact_refusal"]["code"] == "contact_limit"


def test_a_buyer_who_writes_back_is_workable_again_after_the_limit(api, shop, agent):
    case = open_review_case(shop, agent)
    for _ in range(3):
        log(case, agent, outcome="no_answer")
    log(case, agent, channel="call", direction="inbound", outcome="reached")

    body = detail(api, agent, case)

    assert "calm" in body["available_transitions"]
    assert post_step(api, agent, case, "calm", {"note": "Listened."}).status_code == 200


def test_a_review_case_shows_its_review_and_a_dispute_shows_none(api, shop, agent):
    from tests.factories import open_case as open_dispute

    response = api(agent).post("/api/v1/cases/", {
        "kind": "negative_review", "shop": shop.code,
        "review": {"platform_review_id": "RV-SHOW-1", "rating": "中评", "text": "物流太慢了",
                   "posted_at": "2026-11-20T10:00:00+08:00", "category": "茶具"},
    }, format="json")
    dispute = open_dispute(shop, by=agent)

    review = response.json()["review"]
    assert (review["platform_review_id"], review["rating"], review["text"], review["category"]) == (
        "RV-SHOW-1", 3, "物流太慢了", "茶具")
    assert review["revised_rating"] is None and review["public_reply"] == ""
    assert api(agent).get(f"/api/v1/cases/{dispute.pk}/").json()["review"] is None


def test_a_review_case_opened_without_a_description_shows_the_reviews_words(api, shop, agent):
    response = api(agent).post("/api/v1/cases/", {
        "kind": "negative_review", "shop": shop.code,
        "review": {"platform_review_id": "RV-DESC-1", "rating": 2, "text": "包装破损，客服也不回复",
                   "posted_at": "2026-11-20T10:00:00+08:00"},
    }, format="json")

    assert response.status_code == 201
    assert response.json()["description"] == "包装破损，客服也不回复"
