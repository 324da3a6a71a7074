"""`Authorization: Bearer <token>`: an integration's API token, valid in its one shop.

A request with a token acts as the token's user, limited to the token's shop: the user's shop list
is cut down to that shop before any permission is checked, so `visible_to` and every rule see only
it. Superusers cannot hold tokens (a leaked token must not open every shop).

Unknown or revoked tokens are counted per client address (API_TOKEN_FAILURE_RATE, 20 a minute):
over that, every Bearer request from the address is answered 429 before any token is looked up, so
tokens cannot be guessed, not even a right one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.request import Request

from cases.models import ApiToken, token_digest
from cases.permissions import roles_of
from config import limits
from config.client_address import client_ip

KEYWORD = b"bearer"
# last_used_at is written at most this often per token, not on every request.
TOUCH_EVERY = timedelta(minutes=5)


def scope_to_shop(user: Any, shop_id: int) -> None:
    """From now on this user object may see and do only what it may in this one shop."""
    groups, shop_ids = roles_of(user)
    user._case_roles = (groups, shop_ids & {shop_id})
    user._shop_scope = frozenset({shop_id})


def _failures_key(request: Request) -> str:
    return f"api-token-failures:{client_ip(request._request)}"


def _unknown_token(request: Request) -> AuthenticationFailed:
    """Counts the failure against the client's address; the error to raise."""
    limits.hit(_failures_key(request), limits.Rate.parse(settings.API_TOKEN_FAILURE_RATE))
    return AuthenticationFailed(_("This API token is unknown or was revoked; ask an admin for a new one."))


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        verdict = limits.peek(_failures_key(request), limits.Rate.parse(settings.API_TOKEN_FAILURE_RATE))
        if not verdict.allowed:
            raise Throttled(verdict.retry_after, gettext("Too many unknown API tokens from your address; "
                                                         "check the token and try again later."))
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send one token: Authorization: Bearer <token>."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise _unknown_token(request) from None
        token = (ApiToken.objects.select_related("user")
                 .filter(digest=token_digest(raw), revoked_at__isnull=True).first())
        if token is None or not token.user.is_active or token.user.is_superuser:
            raise _unknown_token(request)
        scope_to_shop(token.user, token.shop_id)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes anonymous API requests 401 with a challenge (rather than 403).
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema names this authentication (drf-spectacular finds it by subclassing)."""

    target_class = "cases.api.tokens.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer",
                "description": "An integration's API token (admin → API tokens)."}
