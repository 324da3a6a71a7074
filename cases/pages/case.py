"""The case page and the actions on it: thin views over the same services the API calls.

Every action is a plain POST form (no JavaScript needed). The service's errors come back beside the
fields (400), as "this case changed, here is its current state" (409), or as 403/404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases import deadlines, events, selectors, services
from cases.contact_policy import outbound_refusal
from cases.models import Case, State
from cases.pages.queue import urgency
from cases.phrases import check_phrases, rules_for
from cases.pii import mask_address, mask_phone
from cases.services import attach_file
from cases.transition_forms import as_input, buyer_profile_form, contact_form, transition_form
from cases.workflows import transitions_of
from config.service_errors import Conflict, InvalidInput, NotAllowed, NotFound, ServiceError

MAX_TEXT = 4000
STEPS = [("hand_over", _("Hand over")), ("calm", _("Calm")), ("listen", _("Listen")),
         ("resolve", _("Resolve"))]


def load(request: HttpRequest, case_id: int) -> Case:
    """The case with everything its page shows, if this user may see it (else 404)."""
    try:
        return selectors.get_case_for_user(request.user, case_id)
    except NotFound as error:
        raise Http404(str(error.message)) from None


def steps(case: Case) -> list[dict[str, Any]]:
    """The de-escalation steps and which are on record for the current agent."""
    done = {
        "hand_over": any(e.type == "hand_over" for e in case.timeline.all()),
        "calm": case.calmed_at is not None,
        "listen": bool(case.core_problem.strip()),
        "resolve": case.resolved_at is not None,
    }
    return [{"name": name, "label": label, "done": done[name]} for name, label in STEPS]


EVENT_TEXT = ("reason", "message", "note", "body")


def timeline_rows(case: Case) -> list[dict[str, str]]:
    """The timeline as the page shows it, formatted here once (a 200-event timeline rendered
    through template filters cost more than the rest of the page)."""
    zone, states, system = ZoneInfo(case.shop.time_zone), dict(State.choices), _("system")
    labels = {name: spec.custom.get("label", name) for name, spec in transitions_of(case).items()}
    labels.update(events.LABELS)
    rows = []
    for event in case.timeline.all():
        data = event.data if isinstance(event.data, dict) else {}
        rows.append({
            "at": f"{event.at.astimezone(zone):%Y-%m-%d %H:%M}",
            "type": capfirst(str(labels.get(event.type, event.type.replace("_", " ")))),
            "actor": event.actor.get_username() if event.actor else system,
            "change": "" if event.from_state == event.to_state else
            f"{states.get(event.from_state, event.from_state)} → "
            f"{states.get(event.to_state, event.to_state)}",
            "text": next((str(data[k]) for k in EVENT_TEXT if data.get(k)), ""),
        })
    return rows


class BuyerDetailsForm(forms.Form):
    """The buyer's new details; a field left empty stays as it is (the service validates)."""

    name = forms.CharField(label=_("name"), required=False, max_length=120)
    phone = forms.CharField(label=_("phone"), required=False, max_length=32)
    address = forms.CharField(label=_("address"), required=False, max_length=300)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("A photo, a PDF or a text file."))


def page(request: HttpRequest, case: Case, *, bound: dict[str, forms.Form] | None = None,
         status: int = 200, changed: str = "", revealed: dict[str, str] | None = None
         ) -> HttpResponse:
    user, now = request.user, timezone.now()
    bound = bound or {}
    specs = transitions_of(case)
    actions = []
    for name in services.available_transitions(case, user):
        custom = specs[name].custom
        form = bound.get(name) or transition_form(case, name)(prefix=name)
        actions.append({"name": name, "label": custom.get("label", name),
                        "help": custom.get("help_text", ""), "form": form})
    running = [{"name": d.name, "due_at": d.due_at, "urgency": urgency(d.due_at, now),
                "left": d.due_at - now} for d in deadlines.running(case)]
    refusal = outbound_refusal(customer=case.customer, shop=case.shop, at=now) if case.is_open \
        else None
    customer = case.customer
    return render(request, "pages/case.html", {
        "case": case, "steps": steps(case), "deadlines": running, "actions": actions,
        "blocked": services.blocked_transitions(case, user),
        "contact_form": bound.get("contact") or contact_form()(prefix="contact"),
        "profile_form": bound.get("profile") or buyer_profile_form()(prefix="profile", initial={
            "temperament": customer.temperament, "product_knowledge": customer.product_knowledge,
        } if customer else None),
        "refusal": refusal, "changed": changed,
        # Masked unless just revealed (a logged POST); never kept in the session or a cookie.
        "phone": (revealed or {}).get("phone") or mask_phone(case.buyer_phone),
        "address": (revealed or {}).get("address") or mask_address(case.buyer_address),
        "may_reveal": customer is not None and user.has_perm("cases.reveal_pii", case),
        "may_change_buyer": customer is not None and case.is_open
        and user.has_perm("cases.work_case", case),
        "buyer_form": bound.get("buyer") or BuyerDetailsForm(prefix="buyer"),
        "may_claim": case.assignee_id is None and user.has_perm("cases.claim_case", case),
        "timeline": timeline_rows(case), "contacts": list(case.contacts.all()),
        "attachments": list(selectors.attachments_of(case.pk)),
        "evidence_pack": selectors.latest_evidence_pack(case.pk, user),
        "may_attach": user.has_perm("cases.work_case", case),
        "upload_form": bound.get("upload") or AttachmentForm(),
    }, status=status)


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return page(request, load(request, case_id))


def _answer(request: HttpRequest, case_id: int, error: ServiceError, form_name: str,
            form: forms.Form) -> HttpResponse:
    """Turn a service error into the page with the reason where the user looks for it."""
    if isinstance(error, NotFound):
        raise Http404(str(error.message))
    case = load(request, case_id)
    if isinstance(error, InvalidInput):
        for field, problems in error.errors.items():
            for problem in problems if isinstance(problems, list) else [problems]:
                form.add_error(field if field in form.fields else None, str(problem))
        return page(request, case, bound={form_name: form}, status=400)
    if isinstance(error, Conflict):
        return page(request, case, status=409, changed=str(error.message))
    status = 403 if isinstance(error, NotAllowed) else 400
    return page(request, case, status=status, changed=str(error.message))


def _submit(request: HttpRequest, case: Case, form: forms.Form, prefix: str,
            action: Callable[[dict[str, Any]], Any]) -> tuple[Any, HttpResponse | None]:
    """Validate the form and run the service with its data: (result, None), or (None, the page
    to answer with: the form again with its errors, or the case as it is now)."""
    if not form.is_valid():
        return None, page(request, case, bound={prefix: form}, status=400)
    try:
        return action(form.cleaned_data), None
    except ServiceError as error:
        return None, _answer(request, case.pk, error, prefix, form)


@login_required
@require_POST
def run_transition(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    case = load(request, case_id)
    if name not in transitions_of(case):
        raise Http404(_("No such step."))
    form = transition_form(case, name)(request.POST, prefix=name)
    _case, problem = _submit(request, case, form, name, lambda data: services.run_transition(
        case_id=case.pk, name=name, by=request.user, data=as_input(data)))
    if problem:
        return problem
    messages.success(request, _("Done: %(step)s.") % {
        "step": transitions_of(case)[name].custom.get("label", name)})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("case", case_id=case.pk)


@login_required
@require_POST
def log_contact(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load(request, case_id)
    form = contact_form()(request.POST, prefix="contact")
    logged, problem = _submit(request, case, form, "contact", lambda data: services.log_contact(
        case_id=case.pk, by=request.user, data=as_input(data)))
    if problem:
        return problem
    for hit in logged.phrase_hits:
        messages.warning(request, _("“%(phrase)s”: say instead “%(suggestion)s”.") % {
            "phrase": hit.phrase, "suggestion": hit.suggestion})
    messages.success(request, _("Contact logged."))
    return redirect("case", case_id=case.pk)


@login_required
@require_POST
def phrase_check(request: HttpRequest, case_id: int) -> JsonResponse:
    """The reply composer's live check: the hits in the text, with what to say instead."""
    case = load(request, case_id)
    text = request.POST.get("text")
    if text is None or len(text) > MAX_TEXT:
        return JsonResponse({"detail": str(_("Send the text to check (at most 4000 characters)."))},
                            status=400)
    hits = check_phrases(text, rules_for(case.shop))
    return JsonResponse({"hits": [hit.as_dict() for hit in hits]})


@login_required
@require_POST
def buyer_profile(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load(request, case_id)
    form = buyer_profile_form()(request.POST, prefix="profile")
    _customer, problem = _submit(request, case, form, "profile", lambda data: (
        services.set_buyer_profile(case_id=case.pk, by=request.user,
                                   data={k: v or "" for k, v in data.items()})))
    if problem:
        return problem
    messages.success(request, _("The buyer's profile is saved."))
    return redirect("case", case_id=case.pk)


@login_required
@require_POST
def buyer_details(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load(request, case_id)
    form = BuyerDetailsForm(request.POST, prefix="buyer")
    _customer, problem = _submit(request, case, form, "buyer", lambda data: (
        services.update_buyer_details(case_id=case.pk, by=request.user,
                                      data={k: v for k, v in data.items() if v})))
    if problem:
        return problem
    messages.success(request, _("The buyer's details are changed, on each of their open cases "
                                "(logged on each)."))
    return redirect("case", case_id=case.pk)


@login_required
@require_POST
def claim(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load(request, case_id)
    try:
        services.claim_case(case_id=case.pk, by=request.user)
    except ServiceError as error:
        return _answer(request, case.pk, error, "claim", forms.Form())
    messages.success(request, _("The case is yours."))
    return redirect("case", case_id=case.pk)


@login_required
@require_POST
def reveal(request: HttpRequest, case_id: int) -> HttpResponse:
    """Show the buyer's phone or address unmasked on this answer only (logged)."""
    case = load(request, case_id)
    field = request.POST.get("field", "")
    try:
        value = services.reveal_pii(case_id=case.pk, field=field, by=request.user)
    except ServiceError as error:
        if isinstance(error, NotFound):
            raise Http404(str(error.message)) from None
        return page(request, case, status=error.status, changed=str(error.message))
    response = page(request, load(request, case.pk), revealed={field: value})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def upload_attachment(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load(request, case_id)
    form = AttachmentForm(request.POST, request.FILES)
    attachment, problem = _submit(request, case, form, "upload", lambda data: attach_file(
        case_id=case.pk, by=request.user, upload=data["file"]))
    if problem:
        return problem
    messages.success(request, _("Kept: %(name)s.") % {"name": attachment.original_name})
    return redirect("case", case_id=case.pk)
