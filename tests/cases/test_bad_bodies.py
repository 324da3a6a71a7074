"""A body that is not JSON or not an object, and a request without a user: 4xx with the reason,
nothing written."""

from __future__ import annotations

import pytest

from tests.cases.bad_requests import CASES, raw
from tests.factories import STEP_DATA, case_payload, open_case

# --- the body itself ------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    pytest.param('{"kind": "refund", ', id="cut-off"),
    pytest.param("{'kind': 'refund'}", id="single-quotes"),
    pytest.param('{"kind": NaN}', id="nan"),
    pytest.param("", id="empty-with-json-content-type"),
])
def test_malformed_json_is_answered_400(api, shop, agent, before, body):
    unchanged = before()

    response = raw(api(agent), CASES, body)

    assert response.status_code == 400
    assert response.json()["detail"]
    assert unchanged()


@pytest.mark.parametrize("body", ["[]", '[{"kind": "refund", "shop": "demo"}]', '"refund"', "42"])
def test_json_that_is_not_an_object_is_answered_400(api, shop, agent, before, body):
    unchanged = before()

    response = raw(api(agent), CASES, body)

    assert response.status_code == 400
    assert response.json() == {"detail": "The data sent is not valid.",
                               "errors": {"non_field_errors": ["Send a JSON object."]}}
    assert unchanged()


def test_a_body_that_is_not_json_is_answered_415(api, shop, agent, before):
    unchanged = before()

    response = api(agent).post(CASES, data="kind=refund", content_type="text/plain")

    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]
    assert unchanged()


# --- anonymous requests ------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path"), [
    ("get", ""),
    ("post", ""),
    ("get", "{id}/"),
    ("post", "{id}/transitions/acknowledge/"),
    ("post", "{id}/claim/"),
    ("post", "{id}/contacts/"),
    ("post", "{id}/pause/"),
    ("post", "{id}/resume/"),
    ("post", "{id}/platform-decision/"),
])
def test_anonymous_requests_are_refused_with_401_and_a_bearer_challenge(
    api, shop, agent, before, method, path
):
    case = open_case(shop, by=agent)
    unchanged = before()

    response = getattr(api(None), method)(CASES + path.format(id=case.pk),
                                          STEP_DATA["acknowledge"], format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert unchanged()


def test_a_post_without_the_csrf_token_is_refused_for_a_logged_in_browser(shop, agent, before):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(agent)
    unchanged = before()

    response = client.post(CASES, case_payload(shop), format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert unchanged()
