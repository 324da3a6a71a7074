"""The error shape every app's API answers with, as the OpenAPI schema (/api/schema/) documents it
(cases' and notifications' endpoints alike; config/errors.py writes the answers)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer: what is wrong and, for bad data, which fields (a bad query parameter
    answers {"<parameter>": ["what is wrong"]})."""

    detail = serializers.CharField(required=False,
                                   help_text="What went wrong and what to do about it.")
    errors = serializers.DictField(required=False, help_text="Per field: what is wrong with it.")
    state = serializers.JSONField(required=False, help_text="The case's state (409 answers).")


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The 4xx answers an endpoint may give, all in the error shape."""
    reasons = {
        400: "The data sent is not valid (each field's problem in `errors`).",
        401: "Not logged in: send a session cookie or Authorization: Bearer <token>.",
        403: "Logged in, but this user (or token) may not do this.",
        404: "No such case for this user (or no such transition).",
        406: "Ask for application/json (or text/csv where offered).",
        409: "Not possible in the case's current state, or it changed meanwhile.",
        413: "The upload is larger than the limit.",
        429: "Too many requests: wait for Retry-After seconds.",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=reasons[code]) for code in codes}


WRITE_ERRORS = (400, 401, 403, 404, 409, 429)
READ_ERRORS = (401, 403, 404, 429)
