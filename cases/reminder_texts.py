"""What a reminder about a case says, rendered in the reader's language from its kind and data
(notifications asks through cases.reminder_subject; the queue and the case page name deadlines
with `deadline_names`)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from cases.approval import reasons_text
from cases.models.marketplace import rule_name
from cases.models.threat import ThreatCode
from notifications.models import Notification, ReminderKind

K = ReminderKind


def deadline_names() -> dict[str, str]:
    return {
        "first_response": _("first response"),
        "marketplace": _("the marketplace's deadline"),
        "resolution": _("resolution"),
        "follow_up": _("follow-up call"),
        "appeal": _("appeal window"),
    }


def _when(value: str | None, tz: str) -> str:
    if not value:
        return ""
    return f"{datetime.fromisoformat(value).astimezone(ZoneInfo(tz)):%Y-%m-%d %H:%M}"


def _counted(key: str, n: int) -> str:
    """One part of a digest: "5 first response deadlines near", "7 follow-up calls"."""
    kind, _sep, deadline = key.partition(":")
    name = deadline_names().get(deadline, deadline)
    if kind == K.DEADLINE_WARNING:
        text = ngettext("%(n)s %(deadline)s deadline near", "%(n)s %(deadline)s deadlines near", n)
    elif kind == K.DEADLINE_BREACHED:
        text = ngettext("%(n)s %(deadline)s deadline passed", "%(n)s %(deadline)s deadlines passed",
                        n)
    elif kind == K.FOLLOW_UP_DUE:
        text = ngettext("%(n)s follow-up call", "%(n)s follow-up calls", n)
    else:
        text = ngettext("%(n)s buyer to call again", "%(n)s buyers to call again", n)
    return text % {"n": n, "deadline": name}


def render_digest(d: dict) -> tuple[str, str]:
    """A digest's (title, body): how many fell due, of which kinds, between when and when."""
    tz = d.get("time_zone") or settings.TIME_ZONE
    n = d.get("count") or 0
    title = ngettext("%(n)s reminder fell due at once", "%(n)s reminders fell due at once",
                     n) % {"n": n}
    parts = _("; ").join(_counted(key, count) for key, count in (d.get("counts") or {}).items())
    body = ngettext("%(n)s reminder fell due between %(first)s and %(last)s: %(parts)s.",
                    "%(n)s reminders fell due between %(first)s and %(last)s: %(parts)s.", n) % {
        "n": n, "first": _when(d.get("first_due_at"), tz), "last": _when(d.get("last_due_at"), tz),
        "parts": parts}
    body = f"{body} " + _("They are in the queue's tab Breaching soon: %(url)s") % {
        "url": f"{settings.SITE_URL.rstrip('/')}{d.get('url') or '/'}"}
    return title, body


def render(notification: Notification) -> tuple[str, str]:
    """(title, body) in the active language."""
    d = notification.data
    if notification.kind == K.DIGEST:
        return render_digest(d)
    case = _("Case #%(id)s") % {"id": d.get("case_id")}
    deadline = deadline_names().get(d.get("deadline") or "", d.get("deadline") or "")
    at = _when(d.get("deadline_at") or d.get("due_at"), d.get("time_zone") or settings.TIME_ZONE)
    kind = notification.kind
    # The marketplace's deadline is named by its rule (refund request left unanswered, …).
    rule = rule_name(d["marketplace_rule"]) if d.get("marketplace_rule") else ""
    if kind == K.DEADLINE_WARNING and d.get("deadline") == "marketplace":
        title = _("%(case)s: %(deadline)s due at %(at)s") % {"case": case, "deadline": deadline,
                                                             "at": at}
        body = _("The marketplace's deadline of this case is near (%(rule)s). Act before "
                 "%(at)s.") % {"rule": rule or deadline, "at": at}
    elif kind == K.DEADLINE_BREACHED and d.get("deadline") == "marketplace":
        title = _("%(case)s: the marketplace's deadline passed") % {"case": case}
        body = _("The marketplace's deadline passed at %(at)s (%(rule)s); the case was escalated "
                 "to the supervisors.") % {"rule": rule or deadline, "at": at}
    elif kind == K.DEADLINE_WARNING:
        title = _("%(case)s: %(deadline)s due at %(at)s") % {"case": case, "deadline": deadline,
                                                             "at": at}
        body = _("The %(deadline)s deadline of this case is near. Act before %(at)s.") % {
            "deadline": deadline, "at": at}
    elif kind == K.DEADLINE_BREACHED:
        title = _("%(case)s: %(deadline)s deadline passed") % {"case": case, "deadline": deadline}
        body = _("The %(deadline)s deadline passed at %(at)s; the case was escalated to the "
                 "supervisors.") % {"deadline": deadline, "at": at}
    elif kind == K.FOLLOW_UP_DUE:
        title = _("%(case)s: follow-up call due") % {"case": case}
        body = _("Call the buyer back: ask how the item works and whether the problem is solved.")
    elif kind == K.RETRY_CONTACT and "asked_by" in d:
        title = _("%(case)s: the buyer may be contacted now") % {"case": case}
        body = _("You asked to be reminded when the buyer may be contacted again: now they may.")
    elif kind == K.RETRY_CONTACT:
        title = _("%(case)s: call the buyer again") % {"case": case}
        body = _("Nobody answered the last call. The buyer may be called now.")
    elif kind == K.HANDED_OVER:
        title = _("%(case)s was handed over to you") % {"case": case}
        body = _("Reach the buyer, calm them and listen for the core problem again.")
    elif kind == K.THREAT_FLAGGED:
        threat = dict(ThreatCode.choices).get(d.get("threat") or "", d.get("threat") or "")
        title = _("%(case)s: the buyer threatens — %(threat)s") % {"case": case, "threat": threat}
        body = _("The buyer wrote %(words)s. The case comes first in the queue: read it and "
                 "answer with care. Nothing is done to the buyer because of it.") % {
            "words": ", ".join(f"“{w}”" for w in d.get("matched") or [])}
    elif kind in APPROVAL_KINDS:
        title, body = _approval_text(kind, d, case)
    elif kind == K.SURVEY_LOW:
        title = _("%(case)s: the buyer rated the service %(rating)s of 5") % {
            "case": case, "rating": d.get("rating")}
        body = (_("The buyer wrote: %(comment)s") % {"comment": d["comment"]}
                if d.get("comment") else _("The buyer left no comment."))
    elif kind == K.EVIDENCE_PACK_READY:
        title = _("%(case)s: the evidence pack is ready") % {"case": case}
        body = _("The evidence pack you asked for is built. Download it from the case page or at "
                 "%(url)s") % {"url": f"{settings.SITE_URL.rstrip('/')}{d.get('url') or ''}"}
        return title, body
    else:
        title = pgettext("notification", "%(case)s was escalated") % {"case": case}
        body = d.get("reason") or ""  # what the person who escalated typed (only people do)
    if settings.SITE_URL:
        body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}/api/v1/cases/{d.get('case_id')}/"
    return title, body


APPROVAL_KINDS = frozenset({K.APPROVAL_ASKED, K.REMEDY_APPROVED, K.REMEDY_DECLINED})


def _approval_text(kind: str, d: dict, case: str) -> tuple[str, str]:
    """A refund awaiting a supervisor (to the supervisors), approved or declined (to the agent)."""
    if kind == K.APPROVAL_ASKED:
        title = _("%(case)s: a refund awaits your approval") % {"case": case}
        body = _("%(agent)s proposed a refund above the shop's limits. %(why)s") % {
            "agent": d.get("by") or _("system"), "why": reasons_text(d.get("needs_approval"))}
    elif kind == K.REMEDY_APPROVED:
        title = _("%(case)s: the refund was approved") % {"case": case}
        body = _("%(supervisor)s approved the refund; it is proposed to the buyer.") % {
            "supervisor": d.get("by") or _("system")}
    else:
        title = _("%(case)s: the refund was declined") % {"case": case}
        body = _("%(supervisor)s declined the refund: %(reason)s Find another remedy with the "
                 "buyer.") % {"supervisor": d.get("by") or _("system"), "reason": d.get("reason", "")}
    return title.strip(), body.strip()
