"""The case page, the agent's console, and the actions on it: thin views over the services the API
calls.

Every action is a plain POST form (no JavaScript needed) answered by a redirect (Post/Redirect/Get),
failed ones too: the form's data and errors (never a buyer's personal details) wait in the session
for the next GET of the page, which shows them beside the fields, the refusal of a contact with a
"remind me" button, or "this case changed, here is its current state" for a real conflict. Only a
case the user may not read answers 404.

The layout (templates/pages/case.html): the buyer, the order and the review on the left; the
conversation (`conversation` in the context; the thread and the reply box take its place) and the
timeline in the middle; the deadlines, what was agreed and the next step on the right.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases import conversation, deadlines, events, selectors, services
from cases.agreement import agreed_remedy
from cases.contact_policy import (
    REFUSAL_CODES,
    is_answer,
    next_contact_time,
    outbound_refusal,
)
from cases.models import Case, Channel, Outcome, State
from cases.pages.queue import urgency
from cases.phrases import TO_THE_BUYER, check_phrases, rules_for
from cases.pii import mask_address, mask_phone
from cases.services import attach_file
from cases.templatetags.pages import duration_words
from cases.transition_forms import (
    as_input,
    buyer_profile_form,
    contact_form,
    message_form,
    transition_form,
)
from cases.workflows import transitions_of
from config.service_errors import Conflict, InvalidInput, NotFound, ServiceError

MAX_TEXT = 4000
STEPS = [("hand_over", _("Hand over")), ("calm", _("Calm")), ("listen", _("Listen")),
         ("resolve", _("Resolve"))]
# The workflows' transitions in the order a case walks them: the first one open is the next step.
PATH = ["acknowledge", "calm", "listen", "propose", "remedy", "approve_remedy", "accept",
        "request_revision", "mark_revised", "close", "reopen"]
# The ways off the path, after it: offered, never the primary action.
ASIDE = ["reply_publicly", "reject", "decline_remedy", "escalate", "hand_over", "withdraw"]
# The refusals of a contact that pass: a reminder can be set for when the buyer may be reached.
PASSING_REFUSALS = frozenset({"quiet_hours", "contact_limit"})
# Forms whose data is never kept between a failed post and the page after it (personal details,
# a file): only their errors are.
NOT_KEPT = frozenset({"buyer", "upload"})
STASH = "case_form"


def load(request: HttpRequest, case_id: int) -> Case:
    """The case with everything its page shows, if this user may see it (else 404)."""
    try:
        return selectors.get_case_for_user(request.user, case_id)
    except NotFound as error:
        raise Http404(str(error.message)) from None


def steps(case: Case, user: Any) -> list[dict[str, Any]]:
    """The de-escalation steps this user can take, and which are on record for the current agent
    (hand over is a supervisor's step: agents do not see it)."""
    done = {
        "hand_over": any(e.type == "hand_over" for e in case.timeline.all()),
        "calm": case.calmed_at is not None,
        "listen": bool(case.core_problem.strip()),
        "resolve": case.resolved_at is not None,
    }
    shown = [(name, label) for name, label in STEPS
             if name != "hand_over" or user.has_perm("cases.hand_over_case", case)]
    return [{"name": name, "label": label, "done": done[name]} for name, label in shown]


def in_path_order(names: list[str]) -> list[str]:
    """The transitions in the order the workflow walks them, the ways off it last."""
    order = {name: i for i, name in enumerate([*PATH, *ASIDE])}
    return sorted(names, key=lambda name: order.get(name, len(order)))




def timeline_rows(case: Case) -> list[dict[str, Any]]:
    """The timeline as the page shows it, oldest first, formatted here once (a 200-event timeline
    rendered through template filters cost more than the rest of the page). A step whose words to
    the buyer used phrases to avoid carries them (`hits`)."""
    zone, states, system = ZoneInfo(case.shop.time_zone), dict(State.choices), _("system")
    labels = {name: spec.custom.get("label", name) for name, spec in transitions_of(case).items()}
    labels.update(events.LABELS)
    rows = []
    for event in case.timeline.all():
        data = event.data if isinstance(event.data, dict) else {}
        rows.append({
            "hits": data.get("phrase_hits") or [],
            "transition": event.type in labels and event.type not in events.LABELS,
            "at": f"{event.at.astimezone(zone):%Y-%m-%d %H:%M}",
            "type": capfirst(str(labels.get(event.type, event.type.replace("_", " ")))),
            "actor": event.actor.get_username() if event.actor else system,
            "change": "" if event.from_state == event.to_state else
            f"{states.get(event.from_state, event.from_state)} → "
            f"{states.get(event.to_state, event.to_state)}",
            "text": events.event_text(event), "typed": event.actor_id is not None,
        })
    return rows


DELIVERY_LABELS = {
    conversation.QUEUED: _("queued"), conversation.SENT: _("sent"),
    conversation.FAILED: _("not delivered: paste it into the marketplace's chat"),
    conversation.NO_CONNECTOR: _("no connector: paste it into the marketplace's chat"),
}


def thread_rows(case: Case) -> list[dict[str, Any]]:
    """The conversation as the page shows it (cases.conversation.thread), formatted here once: the
    buyer's words on one side, the shop's on the other, each with its time, channel, author,
    delivery and the phrase warnings its text had; the workflow's steps as quiet markers between
    them. No query: everything comes with the case (a 200-message thread through template filters
    cost three times the rest of the page)."""
    zone = ZoneInfo(case.shop.time_zone)
    channels, outcomes = dict(Channel.choices), dict(Outcome.choices)
    buyer = case.customer.handle if case.customer else _("the buyer")
    rows = []
    for item in conversation.thread(case):
        at = item.at.astimezone(zone)
        if item.kind == conversation.MARKER:
            data = item.event.data if isinstance(item.event.data, dict) else {}
            said = next((data[k] for k in sorted(TO_THE_BUYER) if isinstance(data.get(k), str)
                         and data[k].strip()), "")
            if said and item.event.actor_id:  # a step whose words went to the buyer (acknowledge)
                rows.append({"kind": "step", "side": conversation.SHOP, "at": f"{at:%m-%d %H:%M}",
                             "author": item.author, "channel": capfirst(str(item.label)),
                             "body": said, "hits": data.get("phrase_hits") or []})
            else:
                rows.append({"kind": "marker", "at": f"{at:%m-%d %H:%M}",
                             "label": capfirst(str(item.label)), "actor": item.author or ""})
            continue
        contact = item.contact
        rows.append({
            "kind": item.kind, "side": item.side, "at": f"{at:%m-%d %H:%M}",
            "author": buyer if item.side == conversation.BUYER else item.author or _("system"),
            "channel": channels.get(contact.channel, contact.channel),
            "outcome": outcomes.get(contact.outcome, "") if contact.outcome else "",
            "body": contact.body, "hits": contact.phrase_hits or [],
            "delivery": item.delivery or "", "delivery_label": DELIVERY_LABELS.get(item.delivery, ""),
        })
    return rows


def waiting_for_us(case: Case, now: Any) -> dict[str, Any]:
    """Who spoke last and, when it was the buyer, how long they have waited for the shop (the seeds:
    the first reply within seconds, and the seller speaks last); whether a message now is an answer
    (the buyer wrote within REPLY_WINDOW: no quiet hours, no contact limit) or outreach."""
    since = conversation.buyer_waiting_since(case)
    return {
        "last": conversation.last_speaker(case),
        "since": since, "waited": duration_words((now - since).total_seconds() / 3600) if since else "",
        "answering": is_answer(case, Channel.CHAT, now),  # from the prefetched contacts
    }


class BuyerDetailsForm(forms.Form):
    """The buyer's new details; a field left empty stays as it is (the service validates)."""

    name = forms.CharField(label=_("name"), required=False, max_length=120)
    phone = forms.CharField(label=_("phone"), required=False, max_length=32)
    address = forms.CharField(label=_("address"), required=False, max_length=300)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("A photo, a PDF or a text file."))


def _next_step(case: Case, user: Any, bound: dict[str, forms.Form]) -> dict[str, Any]:
    """The transitions this user may run now in the workflow's order: the first is the next step
    (the primary action), the others are offered below it."""
    specs = transitions_of(case)
    actions = []
    for name in in_path_order(services.available_transitions(case, user)):
        custom = specs[name].custom
        actions.append({"name": name, "label": custom.get("label", name),
                        "help": custom.get("help_text", ""),
                        "form": bound.get(name) or transition_form(case, name)(prefix=name)})
    blocked = [{"label": specs[name].custom.get("label", name), "reason": reason}
               for name, reason in services.blocked_transitions(case, user).items()]
    return {"primary": actions[0] if actions else None, "others": actions[1:],
            "blocked": blocked}


def remind_time(case: Case, refusal: Any, now: Any) -> str:
    """When a refused contact may be made ("08:00", "08:00 tomorrow" or a date), for the
    "remind me" button; "" when no reminder helps (the buyer asked not to be contacted)."""
    if refusal is None or refusal.code not in PASSING_REFUSALS:
        return ""
    due = next_contact_time(customer=case.customer, shop=case.shop, at=now)
    if due is None:
        return ""
    zone = ZoneInfo(case.shop.time_zone)
    local, today = due.astimezone(zone), now.astimezone(zone).date()
    if local.date() == today:
        return f"{local:%H:%M}"
    if (local.date() - today).days == 1:
        return _("%(time)s tomorrow") % {"time": f"{local:%H:%M}"}
    return f"{local:%Y-%m-%d %H:%M}"


def page(request: HttpRequest, case: Case, *, bound: dict[str, forms.Form] | None = None,
         status: int = 200, changed: str = "", refused: str = "",
         revealed: dict[str, str] | None = None) -> HttpResponse:
    user, now = request.user, timezone.now()
    bound = bound or {}
    may_work = user.has_perm("cases.work_case", case)
    running = [{"name": d.name, "due_at": d.due_at, "urgency": urgency(d.due_at, now),
                "left": d.due_at - now} for d in deadlines.running(case)]
    waiting = waiting_for_us(case, now)
    refusal = outbound_refusal(customer=case.customer, shop=case.shop, at=now) \
        if case.is_open and may_work else None
    customer = case.customer
    review = getattr(case, "review", None)
    return render(request, "pages/case.html", {
        "case": case, "steps": steps(case, user), "deadlines": running,
        "next": _next_step(case, user, bound) if may_work else None,
        "may_work": may_work, "agreed": agreed_remedy(case), "review": review,
        "contact_form": bound.get("contact") or contact_form()(prefix="contact"),
        "profile_form": bound.get("profile") or buyer_profile_form()(prefix="profile", initial={
            "temperament": customer.temperament, "product_knowledge": customer.product_knowledge,
        } if customer else None),
        "refusal": refusal, "remind_at": remind_time(case, refusal, now),
        "changed": changed, "refused": refused,
        # Masked unless just revealed (a logged POST); never kept in the session or a cookie.
        "phone": (revealed or {}).get("phone") or mask_phone(case.buyer_phone),
        "address": (revealed or {}).get("address") or mask_address(case.buyer_address),
        "may_reveal": customer is not None and user.has_perm("cases.reveal_pii", case),
        "may_change_buyer": customer is not None and case.is_open and may_work,
        "buyer_form": bound.get("buyer") or BuyerDetailsForm(prefix="buyer"),
        "may_claim": case.assignee_id is None and user.has_perm("cases.claim_case", case),
        "timeline": timeline_rows(case), "thread": thread_rows(case), "waiting": waiting,
        "message_form": bound.get("message") or message_form()(
            prefix="message", initial={"channel": Channel.CHAT}),
        "quick_replies": may_work and case.is_open,
        "attachments": list(selectors.attachments_of(case.pk)),
        "evidence_pack": selectors.latest_evidence_pack(case.pk, user),
        "may_attach": may_work,
        "upload_form": bound.get("upload") or AttachmentForm(),
    }, status=status)


# --- Post/Redirect/Get: what a failed post leaves for the page after it ---------------------------

FORMS: dict[str, Callable[[Case], type[forms.Form]]] = {
    "contact": lambda case: contact_form(),
    "message": lambda case: message_form(),
    "profile": lambda case: buyer_profile_form(),
    "buyer": lambda case: BuyerDetailsForm,
    "upload": lambda case: AttachmentForm,
}


def _stash(request: HttpRequest, case_id: int, *, prefix: str = "", form: forms.Form | None = None,
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


def _unstash(request: HttpRequest, case: Case) -> dict[str, Any]:
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


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load(request, case_id)
    return page(request, case, **_unstash(request, case))


def _answer(request: HttpRequest, case_id: int, error: ServiceError, form_name: str,
            form: forms.Form) -> HttpResponse:
    """Turn a service error into the page with the reason where the user looks for it: beside the
    fields, as a refused contact (with what was typed), or as "this case changed"."""
    if isinstance(error, NotFound):
        raise Http404(str(error.message))
    if isinstance(error, InvalidInput):
        for field, problems in error.errors.items():
            for problem in problems if isinstance(problems, list) else [problems]:
                form.add_error(field if field in form.fields else None, str(problem))
        return _stash(request, case_id, prefix=form_name, form=form)
    if isinstance(error, Conflict) and error.extra.get("code") in REFUSAL_CODES:
        return _stash(request, case_id, prefix=form_name, form=form, refused=str(error.message))
    if isinstance(error, Conflict):
        return _stash(request, case_id, changed=str(error.message))
    # Not allowed (or not possible): said at the top of the page, what was typed kept.
    messages.error(request, str(error.message))
    return _stash(request, case_id, prefix=form_name, form=form)


def _submit(request: HttpRequest, case: Case, form: forms.Form, prefix: str,
            action: Callable[[dict[str, Any]], Any]) -> tuple[Any, HttpResponse | None]:
    """Validate the form and run the service with its data: (result, None), or (None, the
    redirect back to the case, the form and its errors kept for the page)."""
    if not form.is_valid():
        return None, _stash(request, case.pk, prefix=prefix, form=form)
    try:
        return action(form.cleaned_data), None
    except ServiceError as error:
        return None, _answer(request, case.pk, error, prefix, form)


def _warn_phrases(request: HttpRequest, hits: list[dict[str, Any]]) -> None:
    for hit in hits:
        messages.warning(request, _("“%(phrase)s”: say instead “%(suggestion)s”.") % {
            "phrase": hit["phrase"], "suggestion": hit["suggestion"]})


@login_required
@require_POST
def run_transition(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    case = load(request, case_id)
    if name not in transitions_of(case):
        raise Http404(_("No such step."))
    form = transition_form(case, name)(request.POST, prefix=name)
    done, problem = _submit(request, case, form, name, lambda data: services.run_transition(
        case_id=case.pk, name=name, by=request.user, data=as_input(data)))
    if problem:
        return problem
    _warn_phrases(request, getattr(done, "phrase_hits", []))
    messages.success(request, _("Done: %(step)s.") % {
        "step": transitions_of(case)[name].custom.get("label", name)})
    back = _back(request)
    return redirect(back) if back else redirect("case", case_id=case.pk)


def _back(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return ""


@login_required
@require_POST
def log_contact(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load(request, case_id)
    form = contact_form()(request.POST, prefix="contact")
    logged, problem = _submit(request, case, form, "contact", lambda data: services.log_contact(
        case_id=case.pk, by=request.user, data=as_input(data)))
    if problem:
        return problem
    _warn_phrases(request, [hit.as_dict() for hit in logged.phrase_hits])
    messages.success(request, _("Contact logged."))
    return redirect("case", case_id=case.pk)


@login_required
@require_POST
def send_message(request: HttpRequest, case_id: int) -> HttpResponse:
    """The reply box: the message goes to the buyer (through the shop's connector, when it has
    one); its phrase warnings come back on the page and stay on the message."""
    case = load(request, case_id)
    form = message_form()(request.POST, prefix="message")
    sent, problem = _submit(request, case, form, "message", lambda data: services.send_message(
        case_id=case.pk, by=request.user, data=as_input(data)))
    if problem:
        return problem
    _warn_phrases(request, [hit.as_dict() for hit in sent.phrase_hits])
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
        return _stash(request, case.pk, refused=str(error.message))
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
        return _stash(request, case.pk, changed=str(error.message))
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
    attachment, problem = _submit(request, case, form, "upload", lambda data: attach_file(
        case_id=case.pk, by=request.user, upload=data["file"]))
    if problem:
        return problem
    messages.success(request, _("Kept: %(name)s.") % {"name": attachment.original_name})
    return redirect("case", case_id=case.pk)
