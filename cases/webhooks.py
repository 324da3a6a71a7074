"""Marketplace webhooks: signed events that open, update and decide cases (`case.updated` with
`change: buyer_details_changed` and `customer: {name, phone, address}` is the integration's explicit
update of the buyer's details, logged on each open case of the buyer).

Signature: header `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with the
shop's secret; unsigned, wrong or more than 5 minutes off is refused (401), and so is any request to
a shop that does not exist or takes no webhooks, in the same words (no answer tells which shop codes
exist). A signed body over WEBHOOK_MAX_BYTES is refused (413) and kept, truncated. Body:
`{"id", "type", "created", "data"}`. The same event id twice has one effect (a unique constraint);
an event older than one already applied to the same case is ignored, so out-of-order delivery never
moves a case backwards; unknown fields are ignored; a malformed body is refused (400) with the
reason and kept for inspection.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.debug import sensitive_variables

from cases import services
from cases.models import Case, EventStatus, Kind, Shop, WebhookEvent
from cases.pii import mask_address, mask_phone
from cases.signatures import signature_problem
from cases.webhook_body import Body
from cases.workflows import workflow_for
from config.service_errors import InvalidInput, ServiceError

TYPES = ("case.opened", "case.updated", "review.posted", "platform.decided")
# Kept on the timeline as the msgid, shown in the reader's language (events.reason_text).
MARKETPLACE_ESCALATED = gettext_noop("The marketplace escalated the dispute.")
UPDATES = ("buyer_replied", "platform_escalated", "buyer_details_changed")
# A shop that does not exist or takes no webhooks is checked against this secret, which nobody has:
# its requests fail the same check, in the same words and about the same time, as a wrong signature.
NOBODYS_SECRET = secrets.token_hex(32)


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def _signed_by(shop_code: str, signature: str | None, body: bytes | Body,
               now: float | None) -> tuple[Shop | None, str | None]:
    """The shop whose secret signed this body, or why it is refused (the same for a shop that does
    not exist or takes no webhooks as for a wrong signature)."""
    shop = Shop.objects.filter(code=shop_code).exclude(webhook_secret="").first()
    problem = signature_problem(shop.webhook_secret if shop else NOBODYS_SECRET, signature, body,
                               time.time() if now is None else now)
    if shop is None or problem:
        return None, problem or _("The signature does not match the body and the shop's secret.")
    return shop, None


@sensitive_variables("body", "event")
def receive(*, shop_code: str, body: bytes, signature: str | None, now: float | None = None,
            headers: dict[str, str] | None = None) -> Answer:
    shop, problem = _signed_by(shop_code, signature, body, now)
    if shop is None:
        return Answer(401, {"detail": problem})
    event, problem = _parse(body)
    if problem:
        _keep(shop, body, EventStatus.MALFORMED, problem, event, headers=headers)
        return Answer(400, {"detail": problem})
    if WebhookEvent.objects.filter(shop=shop, event_id=event["id"]).exists():
        return Answer(200, {"status": "duplicate", "detail": _("This event was received before.")})
    return _apply(shop, event, body, headers or {})


@sensitive_variables("body")
def refuse_too_large(*, shop_code: str, body: Body, signature: str | None,
                     now: float | None = None, headers: dict[str, str] | None = None) -> Answer:
    """A body over WEBHOOK_MAX_BYTES: 413 with the reason; kept (truncated, with its headers) when
    the shop's secret signed it, so that a genuine event lost to the limit can be found."""
    shop, problem = _signed_by(shop_code, signature, body, now)
    if shop is None:
        return Answer(401, {"detail": problem})
    reason = too_large_reason(body.size, body.limit)
    _keep(shop, body.head, EventStatus.REFUSED, reason, {}, headers=headers)
    return Answer(413, {"detail": reason})


def too_large_reason(size: int | None, limit: int) -> str:
    """Why a body is refused for its size (its size when it was read)."""
    if size is None:
        return _("The body is larger than %(limit)s bytes, the most a webhook may send; send the "
                 "large parts (such as attachments) as links.") % {"limit": f"{limit:,}"}
    return _("The body is %(size)s bytes; a webhook may send at most %(limit)s. Send the large "
             "parts (such as attachments) as links.") % {"size": f"{size:,}", "limit": f"{limit:,}"}


def as_utc(value: Any) -> datetime | None:
    """An ISO 8601 time with its offset, in UTC (None if it is not one, or is out of range).

    In UTC because PostgreSQL refuses offsets it does not know (e.g. +23:55) that Python accepts.
    """
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
        return None if parsed is None or parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _parse(body: bytes) -> tuple[dict[str, Any], str | None]:
    try:
        event = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}, _("The body is not UTF-8 JSON (or is nested too deeply).")
    if not isinstance(event, dict):
        return {}, _("Send a JSON object with id, type, created and data.")
    missing = [k for k in ("id", "type", "created", "data") if k not in event]
    if missing:
        return event, _("Missing: %(fields)s.") % {"fields": ", ".join(missing)}
    if (not isinstance(event["id"], str) or not event["id"] or len(event["id"]) > 200
            or "\x00" in event["id"]):
        return event, _("id must be a non-empty string (at most 200 characters).")
    if event["type"] not in TYPES:
        return event, _("Unknown type %(type)s; known: %(types)s.") % {
            "type": str(event["type"])[:40], "types": ", ".join(TYPES)}
    created = as_utc(event["created"])
    if created is None:
        return event, _("created must be an ISO 8601 time with its offset.")
    if not isinstance(event["data"], dict):
        return event, _("data must be an object.")
    event["created"] = created
    return event, None


def _keep(shop: Shop, body: bytes, status: str, detail: str, event: dict[str, Any],
          case: Case | None = None, headers: dict[str, str] | None = None) -> None:
    """Store the event (its id only when it is a valid one: a malformed body has no identity)."""
    event_id = event.get("id") if status != EventStatus.MALFORMED else ""
    # The same event arriving at the same moment: the other one counts.
    with contextlib.suppress(IntegrityError), transaction.atomic():
        WebhookEvent.objects.create(
            shop=shop, event_id=_text(event_id or ""), type=_text(str(event.get("type", ""))[:40]),
            created=event.get("created") if isinstance(event.get("created"), datetime) else None,
            status=status, detail=_text(str(detail)[:4000]),
            body=_stored(body), case=case, headers=_headers(headers))


def _headers(headers: dict[str, str] | None) -> dict[str, str]:
    return {_text(k): _text(v) for k, v in (headers or {}).items()}


# The value's closing quote may be missing: a body too large is kept cut short, maybe mid-value.
PII_FIELD = re.compile(r'"(phone|address)"(\s*:\s*)"((?:[^"\\]|\\.)*)("|\\?\Z)')


MASKS = {"phone": mask_phone, "address": mask_address}


def _masked(text: str) -> str:
    """The kept body with the buyer's phone and address masked, like everywhere else (JSON is
    masked field by field; a body that is not JSON, by pattern)."""
    try:
        return json.dumps(_mask_fields(json.loads(text)), ensure_ascii=False)
    except (ValueError, RecursionError):
        def mask(match: re.Match[str]) -> str:
            key, colon, value, end = match.groups()
            closing = '"' if end == '"' else ""  # a value cut short stays unterminated
            return f'"{key}"{colon}"{MASKS[key](value)}{closing}'
        return PII_FIELD.sub(mask, text)


def _mask_fields(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: MASKS[k](v) if k in MASKS and isinstance(v, str) else _mask_fields(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_fields(v) for v in value]
    return value


def _stored(body: bytes) -> str:
    """The body as kept for inspection: text, PII masked, at most 100,000 characters."""
    return _text(_masked(body.decode("utf-8", "replace")[:100000]))


def _text(value: str) -> str:
    """Text as PostgreSQL stores it: a NUL character becomes U+FFFD (it cannot be stored)."""
    return value.replace("\x00", "\ufffd")


def _apply(shop: Shop, event: dict[str, Any], body: bytes, headers: dict[str, str]) -> Answer:
    try:
        with transaction.atomic():
            status, detail, case = EFFECTS[event["type"]](shop, event)
            WebhookEvent.objects.create(
                shop=shop, event_id=event["id"], type=event["type"], created=event["created"],
                status=status, detail=detail, body=_stored(body), case=case,
                headers=_headers(headers))
    except IntegrityError:
        return Answer(200, {"status": "duplicate", "detail": _("This event was received before.")})
    except ServiceError as error:
        _keep(shop, body, EventStatus.REFUSED, str(error.message), event, headers=headers)
        extra = {"errors": error.errors} if isinstance(error, InvalidInput) else {}
        return Answer(error.status if error.status != 403 else 400,
                      {"detail": str(error.message), **extra})
    return Answer(201 if status == EventStatus.PROCESSED and event["type"] in OPENING else 200,
                  {"status": status, "detail": detail, "case": case.pk if case else None})


def _case(shop: Shop, data: dict[str, Any]) -> Case:
    external_id = data.get("external_id")
    case = Case.objects.filter(shop=shop, external_id=str(external_id or "")).first()
    if not external_id or case is None:
        raise InvalidInput({"external_id": [_("No case of this shop has that external_id.")]})
    return case


def _newer_applied(case: Case, created: datetime) -> bool:
    return WebhookEvent.objects.filter(case=case, created__gt=created,
                                       status=EventStatus.PROCESSED).exists()


def _opened(shop: Shop, event: dict[str, Any]) -> tuple[str, str, Case | None]:
    case, created = services.open_case(by=None, data={**event["data"], "shop": shop.code})
    return EventStatus.PROCESSED, "opened" if created else "already open", case


def _review_posted(shop: Shop, event: dict[str, Any]) -> tuple[str, str, Case | None]:
    opens_case = workflow_for(Kind.NEGATIVE_REVIEW).opens_case
    if opens_case is not None and not opens_case(event["data"]):
        return EventStatus.IGNORED, "a good review opens no case", None
    data = {**event["data"], "shop": shop.code, "kind": Kind.NEGATIVE_REVIEW}
    case, created = services.open_case(by=None, data=data)
    return EventStatus.PROCESSED, "opened" if created else "already open", case


def _updated(shop: Shop, event: dict[str, Any]) -> tuple[str, str, Case | None]:
    data, case = event["data"], _case(shop, event["data"])
    change = data.get("change")
    if change not in UPDATES:
        raise InvalidInput({"change": [_("One of: %(changes)s.") % {"changes": ", ".join(UPDATES)}]})
    if _newer_applied(case, event["created"]):
        return EventStatus.IGNORED, "older than an event already applied", case
    if not case.is_open:
        return EventStatus.IGNORED, "the case is closed", case
    if change == "buyer_replied":
        services.log_contact(case_id=case.pk, by=None, data={
            "channel": "chat", "direction": "inbound",
            "body": str(data.get("message") or _("(the buyer replied on the marketplace)"))[:4000]})
        return EventStatus.PROCESSED, change, case
    if change == "buyer_details_changed":
        services.update_buyer_details(case_id=case.pk, by=None, data=data.get("customer"),
                                      integration="marketplace webhook")
        return EventStatus.PROCESSED, change, case
    escalated = services.escalate_as_system(
        case_id=case.pk, reason=str(data.get("reason") or MARKETPLACE_ESCALATED)[:4000])
    if escalated is None:
        return EventStatus.IGNORED, "the case cannot be escalated from its state", case
    return EventStatus.PROCESSED, change, case


def _decided(shop: Shop, event: dict[str, Any]) -> tuple[str, str, Case | None]:
    data, case = event["data"], _case(shop, event["data"])
    if _newer_applied(case, event["created"]):
        return EventStatus.IGNORED, "older than an event already applied", case
    services.record_platform_decision(case_id=case.pk, by=None, data={
        k: data[k] for k in ("decision", "note", "decided_at") if k in data})
    return EventStatus.PROCESSED, "decision recorded", case


EFFECTS = {"case.opened": _opened, "review.posted": _review_posted, "case.updated": _updated,
           "platform.decided": _decided}
OPENING = ("case.opened", "review.posted")
