"""Errors the services raise (of every app); the API, the admin and the pages each turn them into an
answer (cases/api/errors.py for the API)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str | Promise, **extra: Any) -> None:
        super().__init__(str(message))
        self.message = message
        self.extra = extra


class InvalidInput(ServiceError):
    """The data sent is missing or wrong; `errors` maps each field to what is wrong with it."""

    status = 400

    def __init__(
        self, errors: dict[str, Any], message: str | Promise | None = None, **extra: Any
    ) -> None:
        super().__init__(message or _("The data sent is not valid."), errors=errors, **extra)
        self.errors = errors


class NotAllowed(ServiceError):
    """This user may not do this to this case."""

    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    """Not possible in the case's current state, or the case changed meanwhile."""

    status = 409

    def __init__(self, message: str | Promise, *, state: str, **extra: Any) -> None:
        super().__init__(message, state=state, **extra)
        self.state = state
