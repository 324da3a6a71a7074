"""Whatever a client sends to open a case, act on one (contacts, messages, the clock, the buyer) or
mark notifications read, the answer is never a 5xx: a 4xx with the reason and nothing written, or
the action done whole.

Each example runs in a savepoint that is rolled back, so every example meets the same scene."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.models import Case, Kind
from notifications.models import Notification
from tests.factories import (
    case_payload,
    open_case,
)
from tests.integrations.payload_scene import (
    CASES,
    FUZZ,
    HTML,
    REASON,
    SQL,
    amounts,
    anything,
    assert_the_answer_keeps_its_promises,
    dispute_at,
    encoded,
    good,
    mostly,
    mutated,
    payloads,
    rolled_back,
    texts,
)
from tests.reviews.factories import review_payload
from tests.snapshots import snapshot


def open_payloads(draw: Any, shop: Any) -> Any:
    kind = draw(st.sampled_from([*Kind.values, "teleportation", None, 7]))
    if kind == Kind.NEGATIVE_REVIEW:
        base = review_payload(shop)
        base["review"] = draw(st.one_of(
            st.just(base["review"]),
            good(**{**base["review"], "text": texts,
                    "rating": st.sampled_from([1, "2", "差评", "好评", 0, 6, 2.5, "x", None]),
                    "posted_at": st.sampled_from([base["review"]["posted_at"],
                                                  "9999-12-31T23:59:59+00:00",
                                                  "0001-01-01T00:00:00+14:00", "yesterday",
                                                  "2026-02-30T10:00:00+08:00"])}).flatmap(mutated)))
    else:
        base = case_payload(shop, kind=kind if isinstance(kind, str) else Kind.REFUND)
        base["kind"] = kind
        base["order"] = draw(mostly(base["order"], good(
            number=texts, paid_amount=mostly("128.00", amounts),
            currency=mostly("CNY", st.sampled_from(["usd", "€", ""]))).flatmap(mutated)))
        base["claimed_amount"] = draw(mostly("100.00", amounts))
    base["description"] = draw(texts)
    base["customer"] = draw(mostly(base["customer"], good(
        handle=texts, name=texts, phone=st.sampled_from(["13800138000", "call me", SQL, ""]),
    ).flatmap(mutated)))
    return draw(mutated(base))


@FUZZ
@given(data=st.data())
def test_opening_a_case_answers_any_payload_with_a_reason_or_opens_it_whole(api, scene, data):
    client = api(scene["supervisor"])

    with rolled_back():
        payload = data.draw(st.composite(open_payloads)(scene["shop"]))
        before = snapshot()
        response = client.post(CASES, data=encoded(payload), content_type="application/json")
        case_id = response.json().get("id") if response.status_code in (200, 201) else None
        assert_the_answer_keeps_its_promises(response, before, viewer=scene["supervisor"],
                                             case_id=case_id, sent=payload,
                                             shown=("description",))


ACTIONS = [
    ("claim", lambda s: open_case(s["shop"], by=None), "claim", payloads(reason=texts), ()),
    ("pause", dispute_at(Kind.REFUND, "acknowledge"), "pause", payloads(reason=texts), REASON),
    ("resume", dispute_at(Kind.REFUND, "acknowledge"), "resume", payloads(reason=texts), ()),
    ("platform-decision", dispute_at(Kind.REFUND, "acknowledge"), "platform-decision",
     payloads(decision=st.sampled_from(["refund_granted", "seller_favoured", "partial_refund",
                                        "other", "maybe"]),
              note=texts,
              decided_at=st.sampled_from(["2000-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00",
                                          "0001-01-01T00:00:00+14:00", "soon", None])),
     ("note",)),
    ("contacts", dispute_at(Kind.REFUND, "acknowledge"), "contacts",
     st.sampled_from([{"channel": "chat", "direction": "outbound", "body": HTML},
                      {"channel": "call", "direction": "inbound", "outcome": "reached",
                       "body": f"{SQL} {HTML}"}]).flatmap(mutated) |
     payloads(channel=st.sampled_from(["call", "chat", "sms", "email", "pigeon"]),
              direction=st.sampled_from(["inbound", "outbound", "sideways"]),
              outcome=st.sampled_from(["reached", "no_answer", "do_not_contact", "", "maybe"]),
              body=texts),
     ("body",)),
    ("messages", dispute_at(Kind.REFUND, "acknowledge"), "messages",
     st.sampled_from([{"body": HTML}, {"body": f"{SQL} {{order}}", "channel": "sms"}]
                     ).flatmap(mutated) |
     payloads(body=texts, channel=st.sampled_from(["chat", "sms", "email", "call", "pigeon"])),
     ("body",)),
]


@pytest.mark.parametrize(("build", "path", "bodies", "shown"),
                         [pytest.param(*row[1:], id=row[0]) for row in ACTIONS])
@FUZZ
@given(data=st.data())
def test_each_case_action_answers_any_payload_with_a_reason_or_does_it_cleanly(
    api, scene, once, build, path, bodies, shown, data
):
    from cases import services

    def make() -> Case:
        case = build(scene)
        if path == "resume":
            services.pause_clock(case_id=case.pk, by=scene["agent"], data={"reason": "Photos."})
        return case

    case = once(make)
    user = scene["agent"] if path == "claim" else scene["supervisor"]

    with rolled_back():
        payload = data.draw(bodies)
        before = snapshot()
        response = api(user).post(f"{CASES}{case.pk}/{path}/", data=encoded(payload),
                                  content_type="application/json")
        assert_the_answer_keeps_its_promises(response, before, viewer=scene["supervisor"],
                                             case_id=case.pk, sent=payload, shown=shown)


@pytest.mark.parametrize("path", ["{id}/read/", "read-all/"])
@FUZZ
@given(data=st.data())
def test_marking_notifications_read_answers_any_payload(api, scene, once, path, data):
    agent = scene["agent"]
    mine = once(lambda: Notification.objects.create(
        recipient=agent, case=open_case(scene["shop"], by=agent), kind="handed_over", data={}))

    with rolled_back():
        payload = data.draw(anything)
        target = data.draw(st.sampled_from([mine.pk, mine.pk + 1000]))
        before = snapshot()
        response = api(agent).post(f"/api/v1/notifications/{path.format(id=target)}",
                                   data=encoded(payload), content_type="application/json")
        assert_the_answer_keeps_its_promises(response, before, viewer=agent, case_id=None)
