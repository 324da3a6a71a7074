"""What the OpenAPI schema (/api/schema/) says about endpoints whose input is checked by a service.

The services validate with the serializers of cases/inputs.py and reviews/inputs.py; the schema
names those same serializers, so the documentation cannot drift from what is enforced.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers


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
