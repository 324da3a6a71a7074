"""Replacing a shop's webhook secrets: they are written, generated or removed, never read back.

The secrets stay in clear in the database (an HMAC needs them), but no page shows them after they
are saved: a generated one is shown once, on the page after saving, like an API token.
"""

from __future__ import annotations

import secrets

from cases.models import Shop

SECRET_FIELDS = ("webhook_secret", "outgoing_webhook_secret")


def replace_shop_secret(*, shop: Shop, field: str, value: str | None) -> str:
    """Set one of the shop's webhook secrets to `value`, a new random one (None) or none ("").

    Returns the secret now in force, for the one time it is shown.
    """
    if field not in SECRET_FIELDS:
        raise ValueError(f"{field} is not a shop secret")
    secret = secrets.token_urlsafe(32) if value is None else value
    Shop.objects.filter(pk=shop.pk).update(**{field: secret})
    setattr(shop, field, secret)
    return secret
