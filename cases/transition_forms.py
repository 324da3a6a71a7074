"""Plain Django forms for the workflow's transitions, built from their inputs (cases/inputs.py).

The admin's transition buttons and the agents' pages use them; validation stays in the service, so
a form only collects the fields and `as_input` turns them into the service's data.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers as drf

from cases.inputs import (
    FIELD_LABELS,
    BuyerProfileInput,
    ContactInput,
    MessageInput,
    asked_for,
    remedies_for,
)
from cases.models import Case
from cases.phrases import TO_THE_BUYER
from cases.workflows import transition_input

# Fields whose text reaches the buyer or the public (message, public reply, contact text).
COMPOSED = TO_THE_BUYER
# Fields that take a 1–5 rating: offered as stars.
RATINGS = frozenset({"new_rating"})


def form_from_input(serializer_class: type[drf.Serializer], name: str,
                    case: Case | None = None) -> type[forms.Form]:
    """A form with one field per input field: choices as selects (their labels), money as a
    number, text boxes. Given the case, only what its kind needs (cases.inputs.asked_for) and only
    the remedies its kind allows."""
    fields: dict[str, forms.Field] = {}
    asked = asked_for(serializer_class, case) if case is not None else None
    for field_name, field in serializer_class().fields.items():
        if asked is not None and field_name not in asked:
            continue
        label = capfirst(FIELD_LABELS.get(field_name, field_name.replace("_", " ")))
        if field_name in RATINGS:
            fields[field_name] = forms.TypedChoiceField(
                label=label, required=field.required, coerce=int,
                choices=[("", "—"), *((n, "★" * n + "☆" * (5 - n)) for n in range(5, 0, -1))],
            )
        elif isinstance(field, drf.ChoiceField):
            choices = list(field.choices.items())
            allowed = remedies_for(case) if case is not None and field_name == "remedy" else None
            if allowed is not None:
                choices = [(code, text) for code, text in choices if code in allowed]
            fields[field_name] = forms.ChoiceField(
                label=label, required=field.required, choices=[("", "—"), *choices]
            )
        elif isinstance(field, drf.DecimalField):
            fields[field_name] = forms.DecimalField(label=label, required=field.required)
        elif isinstance(field, drf.ListSerializer):
            fields[field_name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One item per line; a line starting with photo: is a photo reference."),
            )
        elif isinstance(field, drf.DateTimeField):
            fields[field_name] = forms.DateTimeField(label=label, required=field.required)
        else:
            attrs: dict[str, Any] = {"rows": 3}
            if field_name in COMPOSED:  # words the buyer or the public reads: checked as you type
                attrs["data-phrase-check"] = "1"
            fields[field_name] = forms.CharField(
                label=label, required=field.required, widget=forms.Textarea(attrs=attrs),
                help_text=field.help_text or "",
            )
    return type(f"{name.title().replace('_', '')}Form", (forms.Form,), fields)


def transition_form(case: Case, name: str) -> type[forms.Form]:
    """A plain form with the fields of the transition's input (validation stays in the service)."""
    return form_from_input(transition_input(case, name), name, case)


def contact_form() -> type[forms.Form]:
    return form_from_input(ContactInput, "contact")


def message_form() -> type[forms.Form]:
    """The reply box: the message (checked for phrases to avoid as it is typed) and its channel."""
    return form_from_input(MessageInput, "message")


def buyer_profile_form() -> type[forms.Form]:
    return form_from_input(BuyerProfileInput, "profile")


def as_input(cleaned: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in cleaned.items() if v not in ("", None)}
    if "evidence" in data:
        data["evidence"] = [
            {"photo": line[6:].strip()} if line.lower().startswith("photo:") else {"description": line}
            for line in (raw.strip() for raw in data["evidence"].splitlines()) if line
        ]
    return data


