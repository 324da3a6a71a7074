"""Case changes POSTed to the shop's own system (optional per shop: `Shop.outgoing_webhook_url`).

1. `record_case_change(case, event)` runs inside the transaction that changes the case: one
   OutgoingWebhook row (the truth), and the delivery task enqueued after commit (the nudge; a broker
   that is down is logged, and the beat's `send_due` picks the row up). `record_case_changes` is its
   bulk form (cases opened by an import): the rows in one INSERT, one `send_due` run after commit.
   `record_message(case, contact)` is the same for a message the agent sent from the reply box
   (`message.sent`): the shop's connector passes it on to the marketplace's chat, and the contact's
   `sent_through` points at the row, whose state is the message's delivery (`delivery_of`).
2. `deliver(id)` claims the row the way a reminder is claimed (config/claims.py: a conditional
   UPDATE from pending to claimed, with a token; nothing is sent unless this worker's UPDATE took
   it), then POSTs the JSON body signed like the marketplace's webhooks (X-Signature, X-Event-Id),
   and writes the try as an OutgoingAttempt row. 2xx: delivered, never sent again. Anything else:
   retried with backoff, failed after OUTGOING_WEBHOOK_MAX_ATTEMPTS. A worker that dies mid-send
   leaves a claim taken over after STALE_CLAIM_SECONDS (then the receiver may get the event twice:
   it dedupes on X-Event-Id).
3. `send_due()` delivers the due rows in bounded batches (the beat task and the management command).

The body carries no buyer PII (no name, phone or address): ids, states, the order number, and the
threats flagged in the buyer's words (`flags`, as in the API's case: the kind and the words that
matched, so the shop's system can route the case too).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.events import CASE_OPENED
from cases.models import (
    Case,
    Contact,
    DeliveryState,
    OutgoingAttempt,
    OutgoingWebhook,
    TimelineEvent,
)
from cases.signatures import sign
from cases.threats import flags_of
from config import claims
from config.enqueue import enqueue_on_commit
from notifications.models import Outcome as Sent

log = logging.getLogger(__name__)

STATE_CHANGED = "case.state_changed"
OPENED = "case.opened"
MESSAGE_SENT = "message.sent"
USER_AGENT = "disputedesk"
CHANNEL = "webhook"
ERROR_LENGTH = 500
# Outgoing webhooks as rows workers claim, like reminders (config/claims.py): due at
# `next_attempt_at`, a failed POST retried after 30 s, 1, 2, 4 … minutes (at most an hour, plus up
# to 10 % so that a receiver that was down is not hit by every shop's retries at once). One claim
# covers one request, which OUTGOING_WEBHOOK_TIMEOUT_SECONDS bounds per socket operation; a claim
# older than STALE_CLAIM_SECONDS is taken as abandoned (the worker died).
OUTGOING = claims.Queue(OutgoingWebhook, due="next_attempt_at", first_retry=timedelta(seconds=30),
                        jitter=0.1, pending=DeliveryState.PENDING, claimed=DeliveryState.CLAIMED,
                        failed=DeliveryState.FAILED)


@dataclass
class SendReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def record_case_change(case: Case, event: TimelineEvent) -> OutgoingWebhook | None:
    """The row that tells the shop about this change, delivered after commit (None: no URL).

    Costs no query when the shop has no URL (the callers have `case.shop` loaded).
    """
    if not case.shop.outgoing_webhook_url:
        return None
    webhook = _webhook(case, event, timezone.now())
    webhook.save()
    enqueue_on_commit("cases.tasks.deliver_outgoing_webhook", webhook.pk)
    return webhook


def record_case_changes(changes: list[tuple[Case, TimelineEvent]]) -> list[OutgoingWebhook]:
    """The same rows for many changes of one shop's cases (cases opened in bulk): one INSERT, and
    one delivery run after commit rather than a task per row."""
    if not changes or not changes[0][0].shop.outgoing_webhook_url:
        return []
    now = timezone.now()
    webhooks = OutgoingWebhook.objects.bulk_create(
        [_webhook(case, event, now) for case, event in changes])
    enqueue_on_commit("cases.tasks.send_due_outgoing_webhooks")
    return webhooks


def record_message(case: Case, contact: Contact) -> OutgoingWebhook | None:
    """The row that carries a message the agent sent to the shop's connector, delivered after
    commit; the contact's `sent_through` points at it. None (and no query) when the shop has no
    connector: the agent pastes the message into the marketplace's chat themselves."""
    shop = case.shop
    if not shop.outgoing_webhook_url:
        return None
    now = timezone.now()
    webhook = OutgoingWebhook(shop=shop, case=case, type=MESSAGE_SENT, created_at=now,
                              next_attempt_at=now)
    webhook.payload = {
        "id": str(webhook.event_id),
        "type": MESSAGE_SENT,
        "created": now.isoformat(),
        "data": {
            "case": {
                "id": case.pk,
                "external_id": case.external_id,
                "shop": shop.code,
                "order": case.order.number if case.order_id else None,
                "flags": flags_of(case),
            },
            "message": {
                "id": contact.pk,
                "channel": contact.channel,
                "body": contact.body,
                "author": contact.by.get_username() if contact.by_id else None,
                "sent_at": contact.at.isoformat(),
            },
        },
    }
    webhook.save()
    contact.sent_through = webhook
    Contact.objects.filter(pk=contact.pk).update(sent_through=webhook)
    enqueue_on_commit("cases.tasks.deliver_outgoing_webhook", webhook.pk)
    return webhook


def _webhook(case: Case, event: TimelineEvent, now: datetime) -> OutgoingWebhook:
    shop = case.shop
    type_ = OPENED if event.type == CASE_OPENED else STATE_CHANGED
    webhook = OutgoingWebhook(shop=shop, case=case, type=type_, created_at=now, next_attempt_at=now)
    webhook.payload = {
        "id": str(webhook.event_id),
        "type": type_,
        "created": now.isoformat(),
        "data": {
            "case": {
                "id": case.pk,
                "external_id": case.external_id,
                "kind": case.kind,
                "state": case.state,
                "shop": shop.code,
                "order": case.order.number if case.order_id else None,
                "assignee": case.assignee.get_username() if case.assignee_id else None,
                "flags": flags_of(case),
            },
            "transition": event.type,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "at": event.at.isoformat(),
        },
    }
    return webhook


def backoff(attempts: int) -> timedelta:
    """30 s, 1, 2, 4 … minutes after the n-th failed attempt, at most an hour, plus up to 10 %."""
    return claims.backoff(attempts, first=OUTGOING.first_retry, jitter=OUTGOING.jitter)


def body_of(webhook: OutgoingWebhook) -> bytes:
    """The exact bytes sent and signed (sorted keys: every retry sends the same body)."""
    return json.dumps(webhook.payload, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a success: urllib would re-send a POST as a GET without body."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict[str, str]) -> str | None:
    """POST; None when the receiver answered 2xx, else what went wrong (short)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=settings.OUTGOING_WEBHOOK_TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        try:
            said = error.read(200).decode("utf-8", "replace").strip()
        except Exception:  # the body itself failed to arrive
            said = ""
        return f"HTTP {error.code}" + (f": {said}" if said else "")
    except (urllib.error.URLError, OSError, ValueError) as error:  # refused, timeout, DNS, bad URL
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        return f"{type(reason).__name__}: {reason}"
    if 200 <= status < 300:
        return None
    return f"HTTP {status}"


def deliver(webhook_id: int, *, now: datetime | None = None) -> bool:
    """One attempt at sending the webhook if it is pending and due; True when it was delivered.

    Safe to call twice or from two workers at once: only the one that claims the row sends it.
    Not to be called inside a transaction that outlives it (the claim must commit first).
    """
    return attempt(webhook_id, now=now) == DeliveryState.DELIVERED


def attempt(webhook_id: int, *, now: datetime | None = None) -> str | None:
    """Claim, send, record: the row's new state, or None when it was not ours to send."""
    claim = claims.claim_one(OUTGOING, webhook_id, now=now)
    return _send(claim) if claim.ids else None


def _send(claim: claims.Claim) -> str:
    """POST the claimed row, write the attempt, and complete the claim or retry it later."""
    webhook = OutgoingWebhook.objects.select_related("shop").get(pk=claim.ids[0])
    shop = webhook.shop
    body = body_of(webhook)
    headers = {"Content-Type": "application/json", "X-Event-Id": str(webhook.event_id),
               "User-Agent": USER_AGENT}
    if shop.outgoing_webhook_secret:
        headers["X-Signature"] = sign(shop.outgoing_webhook_secret, body)
    if shop.outgoing_webhook_url:
        error = _post(shop.outgoing_webhook_url, body, headers)
    else:
        error = "the shop no longer has a URL to send case changes to"
    done = timezone.now()
    # The try and the row's state in one commit (as many commits per webhook as a claim and a state
    # change: writing the attempt on its own would cost one more).
    with transaction.atomic():
        OutgoingAttempt.objects.create(webhook=webhook, channel=CHANNEL, at=done,
                                       outcome=Sent.SENT if error is None else Sent.FAILED,
                                       error=(error or "")[:ERROR_LENGTH])
        if error is None:
            claims.complete(OUTGOING, claim.ids, claim.token, state=DeliveryState.DELIVERED,
                            delivered_at=done, claimed_at=None, last_error="")
            return DeliveryState.DELIVERED
        attempts = webhook.attempts + 1
        state = claims.retry_later(OUTGOING, webhook.pk, claim.token, attempts=attempts,
                                   error=error[:ERROR_LENGTH], now=done,
                                   max_attempts=settings.OUTGOING_WEBHOOK_MAX_ATTEMPTS)
    log.info("Outgoing webhook %s to shop %s failed (attempt %s%s): %s", webhook.event_id,
             shop.code, attempts, ", giving up" if state == DeliveryState.FAILED else "",
             error[:ERROR_LENGTH])
    return state


def send_due(now: datetime | None = None, batch: int = 100, max_batches: int = 20) -> SendReport:
    """Deliver the due webhooks, `batch` at a time (at most `max_batches`), in this process.

    Each row is claimed just before its request (`claims.claim_one`: a batch claimed at once would
    wait behind slow receivers until its claims went stale), so of two sweeps at once each row is
    sent by one; a failed row moves to its next attempt and leaves the due set.
    """
    report = SendReport()
    for _ in range(max_batches):
        ids = claims.due_ids(OUTGOING, limit=batch, now=now)
        for webhook_id in ids:
            state = attempt(webhook_id, now=now)
            if state == DeliveryState.DELIVERED:
                report.delivered += 1
            elif state == DeliveryState.PENDING:
                report.retrying += 1
            elif state == DeliveryState.FAILED:
                report.failed += 1
        if len(ids) < batch:
            break
    return report
