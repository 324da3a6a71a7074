"""A step taken from a row of a table (the hand-over in the escalations table) that is refused goes
back to that table, its filters, sort and page kept, with the reason in the row and what was typed
still in the row's form: the person stays where they were working, not on the case's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from config.service_errors import InvalidInput, ServiceError

REFUSED_IN_ROW = "refused_in_row"


def reason_of(*, form: forms.Form | None = None, error: ServiceError | None = None) -> str:
    """What to tell: the service's reason and what is wrong with each field, or the form's own."""
    said: list[str] = []
    if error is not None:
        said.append(str(error.message))
        if isinstance(error, InvalidInput):
            for problems in error.errors.values():
                said += [str(p) for p in (problems if isinstance(problems, list | tuple)
                                          else [problems])]
    if form is not None and form.errors:
        said += [str(p) for problems in form.errors.values() for p in problems]
    return " ".join(dict.fromkeys(said))  # each once, in order


def back_to_the_row(request: HttpRequest, *, case_id: int, step: str, back: str,
                    reason: str) -> HttpResponse:
    """Keep the refusal and what was typed for the table's next GET, and go back to it."""
    request.session[REFUSED_IN_ROW] = {
        "case": case_id, "step": step, "reason": reason,
        "typed": {key[len(step) + 1:]: request.POST.get(key, "") for key in request.POST
                  if key.startswith(f"{step}-")},
    }
    return redirect(f"{back}#row-{case_id}")


def refused_row(request: HttpRequest) -> dict[str, Any]:
    """The refusal a row's post left (once): case, step, reason and what was typed; {} if none."""
    found = request.session.pop(REFUSED_IN_ROW, None)
    return found if isinstance(found, dict) and isinstance(found.get("case"), int) else {}
