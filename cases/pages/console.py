"""The case page, the agent's console: what it shows, read once per page and formatted here.

The layout (templates/pages/case.html): the buyer, the order and the review on the left; the
conversation (`conversation` in the context; the thread and the reply box take its place) and the
timeline in the middle; the deadlines, what was agreed and the next step on the right. The actions
on it: cases/pages/case.py.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases import conversation, deadlines, events, selectors, services
from cases.agreement import agreed_remedy
from cases.assistant.page import assistant_context, preselect_cause
from cases.contact_policy import (
    is_answer,
    next_contact_time,
    outbound_refusal,
)
from cases.models import Case, Channel, Outcome, State
from cases.pages.queue import urgency
from cases.pages.survey_panel import survey_panel
from cases.phrases import TO_THE_BUYER
from cases.pii import mask_address, mask_phone
from cases.templatetags.pages import duration_words
from cases.transition_forms import (
    buyer_profile_form,
    contact_form,
    message_form,
    transition_form,
)
from cases.workflows import transitions_of
from config.service_errors import NotFound

STEPS = [("hand_over", _("Hand over")), ("calm", _("Calm")), ("listen", _("Listen")),
         ("resolve", _("Resolve"))]
# The workflows' transitions in the order a case walks them: the first one open is the next step.
PATH = ["acknowledge", "calm", "listen", "propose", "remedy", "approve_remedy", "accept",
        "request_revision", "mark_revised", "close", "reopen"]
# The ways off the path, after it: offered, never the primary action.
ASIDE = ["reply_publicly", "reject", "decline_remedy", "escalate", "hand_over", "withdraw"]
# The refusals of a contact that pass: a reminder can be set for when the buyer may be reached.
PASSING_REFUSALS = frozenset({"quiet_hours", "contact_limit"})
DELIVERY_LABELS = {
    conversation.QUEUED: _("queued"), conversation.SENT: _("sent"),
    conversation.FAILED: _("not delivered: paste it into the marketplace's chat"),
    conversation.NO_CONNECTOR: _("no connector: paste it into the marketplace's chat"),
}


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
        said, written = events.event_words(event)
        rows.append({
            "hits": data.get("phrase_hits") or [],
            "transition": event.type in labels and event.type not in events.LABELS,
            "at": f"{event.at.astimezone(zone):%Y-%m-%d %H:%M}",
            "type": capfirst(str(labels.get(event.type, event.type.replace("_", " ")))),
            "actor": event.actor.get_username() if event.actor else system,
            "change": "" if event.from_state == event.to_state else
            f"{states.get(event.from_state, event.from_state)} → "
            f"{states.get(event.to_state, event.to_state)}",
            "text": said, "written": written,
        })
    return rows


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


def _next_step(case: Case, user: Any, bound: dict[str, forms.Form],
               assistant: dict[str, Any] | None = None) -> dict[str, Any]:
    """The transitions this user may run now in the workflow's order: the first is the next step
    (the primary action), the others are offered below it."""
    specs = transitions_of(case)
    actions = []
    for name in in_path_order(services.available_transitions(case, user)):
        custom = specs[name].custom
        actions.append({"name": name, "label": custom.get("label", name),
                        "help": custom.get("help_text", ""),
                        "form": bound.get(name) or preselect_cause(
                            transition_form(case, name)(prefix=name), assistant)})
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
    assistant = assistant_context(case, user)  # the similar resolved cases, the suggestions
    survey = survey_panel(case, now)  # the buyer's satisfaction survey: one query if there is one
    if survey and survey["url"]:  # the link as the buyer opens it (SITE_URL, else this host)
        survey["url"] = request.build_absolute_uri(survey["url"])
    return render(request, "pages/case.html", {
        **assistant,
        "case": case, "steps": steps(case, user), "deadlines": running,
        "next": _next_step(case, user, bound, assistant["assistant"]) if may_work else None,
        "may_work": may_work, "agreed": agreed_remedy(case), "review": review, "survey": survey,
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
