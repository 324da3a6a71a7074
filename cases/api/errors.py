"""Turns every error into a JSON answer with its reason: 4xx, never a 500, for anything a client sends."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.service_errors import ServiceError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError):
        body: dict[str, Any] = {"detail": str(exc.message)}
        body.update({k: str(v) if isinstance(v, Promise) else v for k, v in exc.extra.items()})
        return Response(body, status=exc.status)
    return drf_exception_handler(exc, context)
