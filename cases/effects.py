"""What the dispute workflow's transitions write besides the case row (reviews/effects.py: the
review workflow's)."""

from __future__ import annotations

from typing import Any

from cases.models import Case, Evidence


def store_evidence(case: Case, by: Any, values: dict[str, Any]) -> None:
    """The buyer's evidence given with `listen` on an item-not-as-described case."""
    Evidence.objects.bulk_create(
        Evidence(case=case, added_by=by, photo=item.get("photo", ""),
                 description=item.get("description", ""))
        for item in values.get("evidence") or []
    )
