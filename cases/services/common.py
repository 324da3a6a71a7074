"""Helpers every case service uses: load with a lock, validate, check who may act."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Case
from cases.workflows import as_workflow
from config.service_errors import InvalidInput, NotAllowed, NotFound


def lock_case(case_id: int) -> Case:
    """Re-read the case row under a row lock (PostgreSQL) inside the caller's transaction.

    SQLite has no row locks; there the IMMEDIATE transaction already holds the write lock.
    """
    try:
        # get(), not first(): no ORDER BY to build or run for one row by its key.
        case = Case.objects.select_for_update(of=("self",)).select_related("shop", "order").get(
            pk=case_id)
    except Case.DoesNotExist:
        raise NotFound(_("There is no case %(id)s.") % {"id": case_id}) from None
    return as_workflow(case)


def field_values(case: Case) -> dict[str, Any]:
    """The case's column values as loaded, to save only what a service changed (save_changes)."""
    return {field.attname: getattr(case, field.attname) for field in case._meta.concrete_fields}


def save_changes(case: Case, loaded: dict[str, Any]) -> None:
    """UPDATE only the columns that differ from `loaded` (and updated_at): a shorter statement to
    build and run on the hot path of every transition."""
    changed = [name for name, value in loaded.items() if getattr(case, name) != value]
    case.save(update_fields=[*changed, "updated_at"])


def check_may(user: Any, perm: str, case: Case, message: Any) -> None:
    """Raise NotFound when the user may not even see the case, NotAllowed when they may not act."""
    if user is None:  # the system itself (deadline sweeps)
        return
    if not user.has_perm("cases.see_case", case):
        raise NotFound(_("There is no case %(id)s.") % {"id": case.pk})
    if not user.has_perm(perm, case):
        raise NotAllowed(message)


def validate(serializer_class: type[serializers.Serializer], data: Any, **context: Any) -> dict:
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise InvalidInput({"non_field_errors": [str(_("Send a JSON object."))]})
    serializer = serializer_class(data=data, context=context)
    if not serializer.is_valid():
        hits = serializer.context.get("phrase_hits")
        raise InvalidInput(serializer.errors, **({"phrase_hits": hits} if hits else {}))
    return dict(serializer.validated_data)


def jsonable(value: Any) -> Any:
    """Validated input as it is written into the timeline (users by username, money as text)."""
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "get_username"):
        return value.get_username()
    return value
