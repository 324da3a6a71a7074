"""Post/Redirect/Get on the case page: what a failed post leaves for the page after it.

The form's data and errors (never a buyer's personal details, never a file) wait in the session for
the next GET of the page, which shows them beside the fields, the refusal of a contact with a
"remind me" button, or "this case changed, here is its current state" for a real conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from cases.contact_policy import (
    REFUSAL_CODES,
)
from cases.models import Case
from cases.pages.console import AttachmentForm, BuyerDetailsForm
from cases.transition_forms import (
    buyer_profile_form,
    contact_form,
    message_form,
    transition_form,
)
from cases.workflows import transitions_of
from config.service_errors import Conflict, InvalidInput, NotFound, ServiceError

# Forms whose data is never kept between a failed post and the page after it (personal details,
# a file): only their errors are.
NOT_KEPT = frozenset({"buyer", "upload"})
STASH = "case_form"
FORMS: dict[str, Callable[[Case], type[forms.Form]]] = {
    "contact": lambda case: contact_form(),
    "message": lambda case: message_form(),
    "profile": lambda case: buyer_profile_form(),
    "buyer": lambda case: BuyerDetailsForm,
    "upload": lambda case: AttachmentForm,
}


def keep_for_page(request: HttpRequest, case_id: int, *, prefix: str = "", form: forms.Form | None = None,
           changed: str = "", refused: str = "") -> HttpResponse:
    """Keep a failed form (what was typed, and what is wrong) or the reason a post was refused for
    the next GET of the case page, and send the browser there (no re-post on refresh)."""
    stash: dict[str, Any] = {"case": case_id, "changed": changed, "refused": refused}
    if form is not None:
        data = {} if prefix in NOT_KEPT else {
            key: request.POST.getlist(key) for key in request.POST
            if key.startswith(f"{prefix}-")}
        errors = {field: [str(e) for e in problems] for field, problems in form.errors.items()}
        stash.update(prefix=prefix, data=data, errors=errors)
    request.session[STASH] = stash
    return redirect("case", case_id=case_id)


def kept_for_page(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The failed form and the refusal a post left for this page (once), as `page`'s arguments."""
    stash = request.session.pop(STASH, None)
    if not isinstance(stash, dict) or stash.get("case") != case.pk:
        return {}
    found: dict[str, Any] = {"changed": stash.get("changed", ""),
                             "refused": stash.get("refused", "")}
    prefix = stash.get("prefix")
    if prefix:
        if prefix in FORMS:
            form_class = FORMS[prefix](case)
        elif prefix in transitions_of(case):
            form_class = transition_form(case, prefix)
        else:
            return found
        data = MultiValueDict(stash.get("data") or {})
        form = form_class(data, prefix=prefix) if prefix != "upload" else form_class(data)
        form._errors = ErrorDict({  # as the post found them: not validated again
            field: form.error_class(problems) for field, problems in stash["errors"].items()})
        found["bound"] = {prefix: form}
    return found


def answer_error(request: HttpRequest, case_id: int, error: ServiceError, form_name: str,
            form: forms.Form) -> HttpResponse:
    """Turn a service error into the page with the reason where the user looks for it: beside the
    fields, as a refused contact (with what was typed), or as "this case changed"."""
    if isinstance(error, NotFound):
        raise Http404(str(error.message))
    if isinstance(error, InvalidInput):
        for field, problems in error.errors.items():
            for problem in problems if isinstance(problems, list) else [problems]:
                form.add_error(field if field in form.fields else None, str(problem))
        return keep_for_page(request, case_id, prefix=form_name, form=form)
    if isinstance(error, Conflict) and error.extra.get("code") in REFUSAL_CODES:
        return keep_for_page(request, case_id, prefix=form_name, form=form, refused=str(error.message))
    if isinstance(error, Conflict):
        return keep_for_page(request, case_id, changed=str(error.message))
    # Not allowed (or not possible): said at the top of the page, what was typed kept.
    messages.error(request, str(error.message))
    return keep_for_page(request, case_id, prefix=form_name, form=form)


def submit(request: HttpRequest, case: Case, form: forms.Form, prefix: str,
            action: Callable[[dict[str, Any]], Any]) -> tuple[Any, HttpResponse | None]:
    """Validate the form and run the service with its data: (result, None), or (None, the
    redirect back to the case, the form and its errors kept for the page)."""
    if not form.is_valid():
        return None, keep_for_page(request, case.pk, prefix=prefix, form=form)
    try:
        return action(form.cleaned_data), None
    except ServiceError as error:
        return None, answer_error(request, case.pk, error, prefix, form)


def warn_phrases(request: HttpRequest, hits: list[dict[str, Any]]) -> None:
    for hit in hits:
        messages.warning(request, _("“%(phrase)s”: say instead “%(suggestion)s”.") % {
            "phrase": hit["phrase"], "suggestion": hit["suggestion"]})


def back_to(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return ""
