"""What the OpenAPI schema (/api/schema/) says about endpoints whose input is checked by a service.

The services validate with the serializers of cases/inputs.py and reviews/inputs.py; the schema
names those same serializers, so the documentation cannot drift from what is enforced.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
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


def transition_inputs() -> list[type[serializers.Serializer]]:
    """Every workflow's transition input (read when the schema is built, after apps are ready)."""
    from cases.workflows import _WORKFLOWS

    seen: dict[type, None] = {}
    for workflow in _WORKFLOWS.values():
        for serializer in workflow.inputs.values():
            seen.setdefault(serializer, None)
    return list(seen)


TRANSITION_INPUT = PolymorphicProxySerializer(
    component_name="TransitionInput",
    serializers=transition_inputs,
    resource_type_field_name=None,
)


# Query parameters that, sent empty, mean "no filter" / the default (as forms send them).
EMPTY_MEANS_ALL = {"breached", "unread", "format", "ordering"}


def allow_empty_filters(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: say so in the schema for those parameters."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query" or parameter.get("name") not in EMPTY_MEANS_ALL:
                    continue
                schema = parameter.get("schema", {})
                target = schema.get("items", schema)
                if "enum" in target and "" not in target["enum"]:
                    target["enum"] = [*target["enum"], ""]
    return result
