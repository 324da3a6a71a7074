"""Whatever the marketplace sends to the signed webhook, and whatever body (not JSON, deep JSON, a NUL
byte) reaches an endpoint that writes, the answer is never a 5xx: a 4xx with the reason, or the
event applied whole."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from cases.signatures import sign
from tests.factories import (
    case_payload,
    open_case,
    walk,
)
from tests.integrations.payload_scene import (
    CASES,
    FUZZ,
    HTML,
    SECRET,
    SQL,
    assert_the_answer_keeps_its_promises,
    deeply_nested,
    encoded,
    mostly,
    mutated,
    rolled_back,
    texts,
)
from tests.reviews.factories import review_payload
from tests.snapshots import snapshot


def webhook_events(draw: Any, shop: Any, known: str) -> Any:
    kind = draw(st.one_of(
        st.sampled_from(["case.opened", "review.posted", "case.updated", "platform.decided"]),
        st.sampled_from(["case.closed", None, 3, HTML])))
    data: Any
    if kind == "review.posted":
        data = review_payload(shop)
    elif kind == "case.updated":
        data = {"external_id": draw(st.sampled_from([known, "nope", SQL])),
                "change": draw(st.sampled_from(["buyer_replied", "platform_escalated", "melted"])),
                "message": draw(texts), "reason": draw(texts)}
    elif kind == "platform.decided":
        data = {"external_id": draw(st.sampled_from([known, "nope"])),
                "decision": draw(st.sampled_from(["refund_granted", "other", "coin toss"])),
                "note": draw(texts)}
    else:
        data = case_payload(shop, external_id=f"WH-{draw(st.integers(0, 10**6))}")
        data["description"] = draw(texts)
    envelope = {"id": draw(mostly("evt-1", st.sampled_from(["", "x" * 300, SQL, 42]))),
                "type": kind,
                "created": draw(mostly("2026-11-25T10:00:00+08:00", st.sampled_from([
                    "yesterday", "2026-11-25T10:00:00", "9999-12-31T23:59:59+00:00"]))),
                "data": draw(mutated(data))}
    return draw(mutated(envelope))


@FUZZ
@given(data=st.data())
def test_a_signed_webhook_answers_any_body_with_a_reason_or_applies_it_whole(
    scene, once, agent, data
):
    shop = scene["shop"]
    once(lambda: walk(open_case(shop, by=agent, external_id="WH-KNOWN"), agent, "acknowledge"))

    with rolled_back():
        payload = data.draw(st.composite(webhook_events)(shop, "WH-KNOWN"))
        body = encoded(payload)
        before = snapshot()
        response = Client().post(f"/api/v1/webhooks/{shop.code}/", data=body,
                                 content_type="application/json",
                                 HTTP_X_SIGNATURE=sign(SECRET, body))
        assert response.status_code != 401  # the signature is right: the body is what is judged
        case_id = response.json().get("case") if response.status_code in (200, 201) else None
        shown = ("description",) if isinstance(payload, dict) else ()
        sent = payload.get("data") if isinstance(payload, dict) else None
        assert_the_answer_keeps_its_promises(response, before, viewer=scene["supervisor"],
                                             case_id=case_id, sent=sent, shown=shown)


raw_bodies = st.one_of(
    st.sampled_from([b"\xff\xfe\xfd", b'{"note": "\xff\xfe"}', b"\xc3\x28", b"", b"{", b"nul\x00l",
                     b'{"note": NaN}', b'{"amount": Infinity}', b"[" * 500 + b"]" * 500]),
    st.binary(max_size=60),
    st.integers(2, 400).map(lambda depth: encoded(deeply_nested(depth))),
)


WRITES = ["transitions/calm/", "transitions/listen/", "claim/", "pause/", "resume/",
          "platform-decision/", "contacts/", "messages/"]


@FUZZ
@given(data=st.data())
def test_a_body_that_is_not_json_or_is_deep_json_is_answered_with_a_reason(api, scene, once, data):
    shop, supervisor = scene["shop"], scene["supervisor"]
    case = once(lambda: walk(open_case(shop, by=scene["agent"]), scene["agent"], "acknowledge"))

    with rolled_back():
        body = data.draw(raw_bodies)
        url = data.draw(st.sampled_from([CASES, *(f"{CASES}{case.pk}/{w}" for w in WRITES),
                                         f"/api/v1/webhooks/{shop.code}/",
                                         "/api/v1/notifications/read-all/"]))
        before = snapshot()
        headers = {"HTTP_X_SIGNATURE": sign(SECRET, body)} if "webhooks" in url else {}
        response = api(supervisor).post(url, data=body, content_type="application/json",
                                        **headers)
        assert_the_answer_keeps_its_promises(response, before, viewer=supervisor, case_id=None)


# Found by the properties above: DRF's JSONParser and the webhook caught ValueError only, and
# json raises RecursionError on JSON nested ~1000 deep (cases/api/parsers.py, cases/webhooks.py).
@pytest.mark.parametrize("where", ["api", "webhook"])
def test_json_nested_a_hundred_thousand_deep_is_answered_400(api, scene, where):
    shop, supervisor = scene["shop"], scene["supervisor"]
    case = walk(open_case(shop, by=scene["agent"]), scene["agent"], "acknowledge")
    body = b'{"note": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    before = snapshot()

    if where == "api":
        client = api(supervisor)
        client.raise_request_exception = False
        response = client.post(f"{CASES}{case.pk}/transitions/calm/", data=body,
                               content_type="application/json")
    else:
        client = Client(raise_request_exception=False)
        response = client.post(f"/api/v1/webhooks/{shop.code}/", data=body,
                               content_type="application/json", HTTP_X_SIGNATURE=sign(SECRET, body))

    assert response.status_code == 400
    assert response.json()["detail"]
    assert snapshot() == before


# Found by the properties above, on PostgreSQL (text cannot hold NUL): the kept body's NUL
# characters are replaced (cases/webhooks.py _text).
def test_a_signed_webhook_body_with_a_nul_byte_is_answered_400(scene):
    body = b'{"id": "e\x00"}'
    before = snapshot()

    response = Client(raise_request_exception=False).post(
        f"/api/v1/webhooks/{scene['shop'].code}/", data=body, content_type="application/json",
        HTTP_X_SIGNATURE=sign(SECRET, body))

    assert response.status_code == 400
    assert response.json()["detail"]
    assert snapshot() == before
