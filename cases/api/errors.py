"""Turns every error into a JSON answer with its reason: 4xx, never a 500, for anything a client sends."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.errors import CaseError, InvalidInput


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, InvalidInput):
        return Response({"detail": str(exc.message), "errors": exc.errors}, status=exc.status)
    if isinstance(exc, CaseError):
        body = {"detail": str(exc.message)}
        body.update({k: str(v) for k, v in exc.extra.items()})
        return Response(body, status=exc.status)
    return drf_exception_handler(exc, context)
