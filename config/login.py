"""The log-in view, with a limit on attempts per address (django-ratelimit): 429 with Retry-After."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth
from django.http import HttpRequest, HttpResponse
from django_ratelimit.decorators import ratelimit

from config.errors import too_many_requests

_login = auth.LoginView.as_view()


@ratelimit(key="ip", rate=lambda group, request: settings.LOGIN_RATE, method="POST", block=False)
def login(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if getattr(request, "limited", False):
        return too_many_requests(request, None)
    return _login(request, *args, **kwargs)
