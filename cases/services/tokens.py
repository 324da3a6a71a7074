"""Creating and revoking API tokens (admins only: the admin site and a command call these)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import ApiToken, Shop
from config.service_errors import InvalidInput


def token_problems(*, shop: Shop, user: Any) -> dict[str, list[str]]:
    """Why this user cannot hold a token for this shop (empty: they can)."""
    if user.is_superuser:
        return {"user": [str(_("A token acts as a shop's staff, not as a superuser: choose an "
                               "agent or supervisor account."))]}
    if not user.shops.filter(pk=shop.pk).exists():
        return {"user": [str(_("This user is not staff of the shop %(shop)s; add them to the shop "
                               "first.") % {"shop": shop.code})]}
    return {}


@transaction.atomic
def create_api_token(*, shop: Shop, user: Any, name: str, by: Any,
                     raw: str | None = None) -> tuple[ApiToken, str]:
    """A new token for `user` in `shop`; returns it with the raw secret, which is shown once.

    `raw` is for the demo's fixed token only; everything else gets a random 256-bit one.
    """
    problems = token_problems(shop=shop, user=user)
    if problems:
        raise InvalidInput(problems)
    raw = raw or ApiToken.generate()
    token = ApiToken(shop=shop, user=user, name=name, created_by=by)
    token.set_secret(raw)
    token.save()
    return token, raw


def revoke_api_token(*, token_id: int) -> int:
    """Revoked tokens are refused from the next request on; the row stays for the record."""
    return ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
