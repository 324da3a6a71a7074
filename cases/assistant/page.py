"""The assistant on the case page: the similar resolved cases panel
(templates/pages/similar_cases.html) and the listen step's cause, pre-selected with its confidence.

    context = {..., **assistant_context(case, user)}              # cases/pages/case.py, page()
    preselect_cause(form, context["assistant"])                   # the listen step's form

Suggestions only: nothing is sent or recorded until the agent does it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from cases.assistant.similar import cause_label
from cases.assistant.suggestions import assist
from cases.models import Case, Remedy
from cases.templatetags.pages import percent


def assistant_context(case: Case, user: Any) -> dict[str, Any]:
    """`assistant`: the similar resolved cases and the suggestions, for an open case (none for a
    closed one: nothing is left to decide)."""
    if not case.is_open:
        return {"assistant": None}
    assistance = assist(case, user)
    remedies = [{"label": Remedy(r["value"]).label, "share": r["share"]}
                for r in assistance.remedies or []]
    return {"assistant": {"similar": assistance.similar, "remedies": remedies,
                          "cause": assistance.cause}}


def preselect_cause(form: forms.Form, assistant: dict[str, Any] | None) -> forms.Form:
    """The listen step's cause set to the suggested one, its confidence in the field's help (an
    unbound form only: what the agent chose and posted stays)."""
    cause = (assistant or {}).get("cause") if isinstance(assistant, dict) else None
    if cause is None or form.is_bound or "cause" not in form.fields:
        return form
    form.initial["cause"] = cause["value"]
    form.fields["cause"].help_text = _(
        "Suggested: %(cause)s, by %(share)s of the most similar resolved reviews. You decide."
    ) % {"cause": cause_label(cause["value"]), "share": percent(cause["confidence"])}
    return form

