"""Whatever a client sends to a transition of either workflow, the answer is never a 5xx: a 4xx with
the reason and nothing written, or the step done whole.

Each example runs in a savepoint that is rolled back, so every example meets the same scene."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.models import Kind
from tests.factories import (
    TO_RESOLVED,
)
from tests.integrations.payload_scene import (
    CASES,
    FUZZ,
    REASON,
    REMEDIES,
    USERNAMES,
    amounts,
    assert_the_answer_keeps_its_promises,
    dispute_at,
    encoded,
    good,
    mutated,
    payloads,
    review_at,
    rolled_back,
    texts,
)
from tests.snapshots import snapshot

# (id, the case before, transition, the payload's strategy, the fields the case page shows)
TRANSITIONS = [
    ("dispute-acknowledge", dispute_at(Kind.REFUND), "acknowledge", payloads(message=texts),
     ("message",)),
    ("dispute-calm", dispute_at(Kind.REFUND, "acknowledge"), "calm", payloads(note=texts), ("note",)),
    ("dispute-listen", dispute_at(Kind.NOT_AS_DESCRIBED, "acknowledge", "calm"), "listen",
     payloads(core_problem=texts,
              tracking_status=st.sampled_from(["lost", "delivered", "in_transit", "nonsense"]),
              evidence=st.lists(good(photo=texts, description=texts), max_size=2)),
     ("core_problem",)),
    ("dispute-listen-non-delivery", dispute_at(Kind.NON_DELIVERY, "acknowledge", "calm"), "listen",
     payloads(core_problem=texts, tracking_status=st.sampled_from(["lost", "delivered", "x"])),
     ("core_problem",)),
    ("dispute-propose", dispute_at(Kind.REFUND, "acknowledge", "calm", "listen"), "propose",
     st.one_of(payloads(remedy=REMEDIES, amount=amounts), st.sampled_from([
         {"remedy": "partial_refund", "amount": "30.00"}, {"remedy": "full_refund"},
         {"remedy": "full_refund", "amount": "128.00"}]).flatmap(mutated)), ()),
    ("dispute-accept", dispute_at(Kind.REFUND, "acknowledge", "calm", "listen", "propose"),
     "accept", payloads(note=texts), ("note",)),
    ("dispute-reject", dispute_at(Kind.REFUND, "acknowledge", "calm", "listen", "propose"),
     "reject", payloads(reason=texts), REASON),
    ("dispute-escalate", dispute_at(Kind.REFUND, "acknowledge"), "escalate", payloads(reason=texts),
     REASON),
    ("dispute-hand-over", dispute_at(Kind.REFUND, "acknowledge", "calm"), "hand_over",
     payloads(to=USERNAMES, reason=texts), REASON),
    ("dispute-withdraw", dispute_at(Kind.REFUND, "acknowledge"), "withdraw", payloads(reason=texts),
     REASON),
    ("dispute-close", dispute_at(Kind.REFUND, *TO_RESOLVED, close_after=True), "close",
     payloads(note=texts), ("note",)),
    ("dispute-reopen", dispute_at(Kind.REFUND, "acknowledge", "withdraw"), "reopen",
     payloads(reason=texts), REASON),
    ("review-calm", review_at(reached=True), "calm", payloads(note=texts), ("note",)),
    ("review-listen", review_at("calm"), "listen",
     payloads(core_problem=texts, cause=st.sampled_from(["logistics", "quality", "mystery"])),
     ("core_problem",)),
    ("review-remedy", review_at("calm", "listen"), "remedy",
     st.one_of(payloads(remedy=REMEDIES, amount=amounts), st.sampled_from([
         {"remedy": "reship"}, {"remedy": "coupon", "amount": "5.00"},
         {"remedy": "partial_refund", "amount": "10.00"}]).flatmap(mutated)), ()),
    ("review-request-revision", review_at("calm", "listen", "remedy"), "request_revision",
     payloads(message=texts), ("message",)),
    ("review-mark-revised", review_at("calm", "listen", "remedy", "request_revision"),
     "mark_revised", payloads(new_rating=st.sampled_from([5, "5", "好评", 4.5, "6", 0, -1, "5.0"])),
     ()),
    ("review-reply-publicly", review_at(), "reply_publicly", payloads(text=texts), ()),
    ("review-close", review_at("calm", "listen", "remedy", "request_revision", "mark_revised"),
     "close", payloads(note=texts), ("note",)),
    ("review-escalate", review_at(), "escalate", payloads(reason=texts), REASON),
    ("review-hand-over", review_at("calm"), "hand_over", payloads(to=USERNAMES, reason=texts),
     REASON),
]


@pytest.mark.parametrize(("build", "name", "bodies", "shown"),
                         [pytest.param(*row[1:], id=row[0]) for row in TRANSITIONS])
@FUZZ
@given(data=st.data())
def test_a_transition_answers_any_payload_with_a_reason_or_does_it_cleanly(
    api, scene, once, build, name, bodies, shown, data
):
    case = once(lambda: build(scene))
    client = api(scene["supervisor"])

    with rolled_back():
        payload = data.draw(bodies)
        before = snapshot()
        response = client.post(f"{CASES}{case.pk}/transitions/{name}/", data=encoded(payload),
                               content_type="application/json")
        assert_the_answer_keeps_its_promises(response, before, viewer=scene["supervisor"],
                                             case_id=case.pk, sent=payload, shown=shown)
