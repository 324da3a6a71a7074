"""Quick replies (快捷短语): supervisors write, change and archive them; agents use them on a case."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from cases.canned_replies import case_to_fill, fill
from cases.inputs import CannedReplyInput
from cases.models import CannedReply, CannedReplyUse, Shop
from cases.services.common import validate
from config.service_errors import InvalidInput, NotAllowed, NotFound

FIELDS = ("title", "shortcut", "language", "body", "kind", "step")
NOT_YOURS = _("There is no quick reply %(id)s.")


def _shop_to_manage(by: Any, code: Any) -> Shop:
    """The shop by its code, if this user may manage its quick replies: a shop they are not staff
    of is answered like one that does not exist; staff who are not its supervisors get 403."""
    shop = Shop.objects.filter(code=code).first() if isinstance(code, str) and code else None
    if shop is None or not by.has_perm("cases.use_canned_replies", shop):
        raise InvalidInput({"shop": [str(_("You have no shop with the code “%(code)s”.")
                                         % {"code": code or ""})]})
    if not by.has_perm("cases.manage_canned_replies", shop):
        raise NotAllowed(_("Only the shop's supervisors write quick replies."))
    return shop


def _reply_to_manage(by: Any, reply_id: int) -> CannedReply:
    """The reply (locked), if this user may manage it: NotFound when they may not even use it."""
    reply = (CannedReply.objects.select_for_update(of=("self",)).select_related("shop")
             .filter(pk=reply_id, archived=False).first())
    if reply is None or not by.has_perm("cases.use_canned_replies", reply.shop):
        raise NotFound(NOT_YOURS % {"id": reply_id})
    if not by.has_perm("cases.manage_canned_replies", reply.shop):
        raise NotAllowed(_("Only the shop's supervisors write quick replies."))
    return reply


def _save(reply: CannedReply) -> None:
    try:
        with transaction.atomic():
            reply.save()
    except IntegrityError:  # a colleague took the shortcut a moment ago
        raise InvalidInput({"shortcut": [str(_(
            "/%(shortcut)s is already a quick reply of this shop in this language; choose "
            "another shortcut.") % {"shortcut": reply.shortcut})]}) from None


@transaction.atomic
def save_canned_reply(*, by: Any, data: Any) -> CannedReply:
    """A new quick reply for a shop this user supervises: `{"shop" (code), "title", "shortcut",
    "language", "body", "kind"?, "step"?}`. Refused (and nothing saved) for a phrase to avoid
    under the shop's own rules (with `phrase_hits`), an unknown variable, a duplicate shortcut."""
    if not isinstance(data, Mapping):
        raise InvalidInput({"non_field_errors": [str(_("Send a JSON object."))]})
    shop = _shop_to_manage(by, data.get("shop"))
    attrs = validate(CannedReplyInput, {k: v for k, v in data.items() if k != "shop"}, shop=shop)
    reply = CannedReply(shop=shop, created_by=by, **attrs)
    _save(reply)
    return reply


@transaction.atomic
def update_canned_reply(*, reply_id: int, by: Any, data: Any) -> CannedReply:
    """Change any of a quick reply's title, shortcut, language, text, kind and step; the rest stay.
    Checked as a new one is (the shop cannot change)."""
    reply = _reply_to_manage(by, reply_id)
    if not isinstance(data, Mapping):
        raise InvalidInput({"non_field_errors": [str(_("Send a JSON object."))]})
    if "shop" in data and data["shop"] != reply.shop.code:
        raise InvalidInput({"shop": [str(_("A quick reply stays in its shop; write a new one for "
                                           "another shop."))]})
    merged = {name: getattr(reply, name) for name in FIELDS}
    merged.update({k: v for k, v in data.items() if k in FIELDS})
    attrs = validate(CannedReplyInput, merged, shop=reply.shop, reply=reply)
    for name, value in attrs.items():
        setattr(reply, name, value)
    _save(reply)
    return reply


@transaction.atomic
def archive_canned_reply(*, reply_id: int, by: Any) -> CannedReply:
    """Agents no longer see it; its shortcut is free again; the row stays with its usage count."""
    reply = _reply_to_manage(by, reply_id)
    reply.archived = True
    reply.save(update_fields=["archived", "updated_at"])
    return reply


def use_canned_reply(*, reply_id: int, case_id: int, by: Any) -> str:
    """The reply's text filled for the case (what the reply box inserts), counted as one use.
    NotFound for a case this user may not see or a reply not of the case's shop."""
    if not isinstance(case_id, int) or isinstance(case_id, bool) or not 0 < case_id < 2**63:
        raise InvalidInput({"case": [str(_("Send the case's id (a whole number)."))]})
    case = case_to_fill(by, case_id)
    reply = CannedReply.objects.filter(pk=reply_id, shop_id=case.shop_id, archived=False).first()
    if reply is None or not by.has_perm("cases.use_canned_replies", case.shop):
        raise NotFound(NOT_YOURS % {"id": reply_id})
    if reply.kind and reply.kind != case.kind:
        raise InvalidInput({"case": [str(_("This quick reply is for %(kind)s cases.")
                                         % {"kind": reply.get_kind_display()})]})
    with transaction.atomic():
        CannedReply.objects.filter(pk=reply.pk).update(usage_count=F("usage_count") + 1)
        CannedReplyUse.objects.create(reply=reply, case_id=case.pk, by=by)
    return fill(reply.body, case, by, language=reply.language)

