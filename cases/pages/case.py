"""The case page, the agent's console, and the actions on it: thin views over the services the API
calls.

Every action is a plain POST form (no JavaScript needed) answered by a redirect (Post/Redirect/Get),
failed ones too: the form's data and errors (never a buyer's personal details) wait in the session
for the next GET of the page, which shows them beside the fields, the refusal of a contact with a
"remind me" button, or "this case changed, here is its current state" for a real conflict. Only a
case the user may not read answers 404.

What the page shows: cases/pages/console.py; what a failed post leaves for it:
cases/pages/failed_posts.py.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases import conversation, services
from cases.pages.console import AttachmentForm, BuyerDetailsForm, load, page
from cases.pages.failed_posts import (
    back_to,
    keep_for_page,
    kept_for_page,
    submit,
    warn_phrases,
)
from cases.pages.row_refusals import back_to_the_row, reason_of
from cases.phrases import check_phrases, rules_for
from cases.services import attach_file
from cases.transition_forms import (
    as_input,
    buyer_profile_form,
    contact_form,
    message_form,
    transition_form,
)
from cases.workflows import transitions_of
from config.service_errors import Conflict, NotFound, ServiceError

MAX_TEXT = 4000


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load(request, case_id)
    return page(request, case, **kept_for_page(request, case))


@login_required
@require_POST
def run_transition(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    case = load(request, case_id)
    if name not in transitions_of(case):
        raise Http404(_("No such step."))
    form = transition_form(case, name)(request.POST, prefix=name)
    back = back_to(request)
    if back:  # from a row of a table: a refusal goes back to the table (row_refusals)
        done, refused = None, ""
        if not form.is_valid():
            refused = reason_of(form=form)
        else:
            try:
                done = services.run_transition(case_id=case.pk, name=name, by=request.user,
                                               data=as_input(form.cleaned_data))
            except NotFound as error:
                raise Http404(str(error.message)) from None
            except ServiceError as error:
                refused = reason_of(error=error)
        if refused:
            return back_to_the_row(request, case_id=case.pk, step=name, back=back,
                                   reason=refused)
    else:
        done, problem = submit(request, case, form, name, lambda data: services.run_transition(
            case_id=case.pk, name=name, by=request.user, data=as_input(data)))
        if problem:
            return problem
    warn_phrases(request, getattr(done, "phrase_hits", []))
    messages.success(request, _("Done: %(step)s.") % {
        "step": transitions_of(case)[name].custom.get("label", name)})
    return redirect(back) if back else redirect("case", case_id=case.pk)


@login_required
@require_POST
def log_contact(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load(request, case_id)
    form = contact_form()(request.POST, prefix="contact")
    logged, problem = submit(request, case, form, "contact", lambda data: services.log_contact(
        case_id=case.pk, by=request.user, data=as_input(data)))
    if problem:
        return problem
    warn_phrases(request, [hit.as_dict() for hit in logged.phrase_hits])
    messages.success(request, _("Contact logged."))
    return redirect("case", case_id=case.pk)


@login_required
@require_POST
def send_message(request: HttpRequest, case_id: int) -> HttpResponse:
    """The reply box: the message goes to the buyer (through the shop's connector, when it has
    one); its phrase warnings come back on the page and stay on the message."""
    case = load(request, case_id)
    form = message_form()(request.POST, prefix="message")
    sent, problem = submit(request, case, form, "message", lambda data: services.send_message(
        case_id=case.pk, by=request.user, data=as_input(data)))
    if problem:
        return problem
    warn_phrases(request, [hit.as_dict() for hit in sent.phrase_hits])
    messages.success(request, _("Sent.") if conversation.delivery_of(sent.contact)
                     != conversation.NO_CONNECTOR else
                     _("Saved. The shop has no connector: paste it into the marketplace's chat."))
    return redirect(f"{reverse('case', args=[case.pk])}#conversation")


@login_required
@require_POST
def remind_me(request: HttpRequest, case_id: int) -> HttpResponse:
    """"Remind me at 08:00": a reminder when the buyer may be contacted again."""
    case = load(request, case_id)
    try:
        due = services.remind_when_contact_allowed(case_id=case.pk, by=request.user)
    except ServiceError as error:
        if isinstance(error, NotFound):
            raise Http404(str(error.message)) from None
        return keep_for_page(request, case.pk, refused=str(error.message))
    messages.success(request, _("You will be reminded at %(at)s to contact the buyer.") % {
        "at": f"{due.astimezone(ZoneInfo(case.shop.time_zone)):%Y-%m-%d %H:%M}"})
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
    _customer, problem = submit(request, case, form, "profile", lambda data: (
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
    _customer, problem = submit(request, case, form, "buyer", lambda data: (
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
    """Take the case; when someone was quicker, back to the queue saying who."""
    case = load(request, case_id)
    try:
        services.claim_case(case_id=case.pk, by=request.user)
    except Conflict as error:
        holder = error.extra.get("assignee")
        if holder:
            messages.warning(request, _("%(username)s took this case a moment ago.") % {
                "username": holder})
            return redirect("queue")
        return keep_for_page(request, case.pk, changed=str(error.message))
    except ServiceError as error:
        if isinstance(error, NotFound):
            raise Http404(str(error.message)) from None
        messages.error(request, str(error.message))
        return redirect("queue")
    messages.success(request, _("The case is yours."))
    return redirect("case", case_id=case.pk)


@login_required
@require_POST
def reveal(request: HttpRequest, case_id: int) -> HttpResponse:
    """Show the buyer's phone or address unmasked on this answer only (logged): a read, answered
    with the page itself (no-store), never kept for a redirect."""
    case = load(request, case_id)
    field = request.POST.get("field", "")
    try:
        value = services.reveal_pii(case_id=case.pk, field=field, by=request.user)
    except ServiceError as error:
        if isinstance(error, NotFound):
            raise Http404(str(error.message)) from None
        if isinstance(error, Conflict):
            return page(request, case, status=error.status, changed=str(error.message))
        messages.error(request, str(error.message))
        return page(request, case, status=error.status)
    response = page(request, load(request, case.pk), revealed={field: value})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def upload_attachment(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load(request, case_id)
    form = AttachmentForm(request.POST, request.FILES)
    attachment, problem = submit(request, case, form, "upload", lambda data: attach_file(
        case_id=case.pk, by=request.user, upload=data["file"]))
    if problem:
        return problem
    messages.success(request, _("Kept: %(name)s.") % {"name": attachment.original_name})
    return redirect("case", case_id=case.pk)
