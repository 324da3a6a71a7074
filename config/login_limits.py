"""One limit for every door that takes a password (django-axes): the pages' log-in, the admin's, the
browsable API's, and HTTP basic auth in the demo.

django-axes counts failed log-ins in the database (so a Redis outage changes nothing here) for every
call of Django's `authenticate()`, whichever view makes it, and refuses the next attempt once a count
is reached, until the cool-off has passed. Two counts, both keyed on the client's address
(config/client_address.py), never on the username alone, so nobody can lock a user out from
elsewhere:

- a username at one address: LOGIN_FAILURES_PER_USER (10) failures;
- one address, whatever the usernames: LOGIN_FAILURES_PER_ADDRESS (30), so one address cannot try
  many users.
"""

from __future__ import annotations

import math

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


class UserAndAddressHandler(AxesDatabaseHandler):
    """Axes's database handler with a second, higher limit for an address over all usernames.

    AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"], "ip_address"], so `get_user_attempts`
    gives the attempts of this username at this address, then those of this address
    (tests/integrations/test_login_limits.py fails if an upgrade changes that).
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        user_here, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return max(user_here, settings.LOGIN_FAILURES_PER_USER)
        return user_here


def failures_per_user(request: HttpRequest, credentials: dict | None = None) -> int:
    """AXES_FAILURE_LIMIT: read when used, so a changed setting applies at once."""
    return settings.LOGIN_FAILURES_PER_USER


def cool_off_minutes() -> int:
    return math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def locked_out(request: HttpRequest, response: HttpResponse | None = None,
               credentials: dict | None = None) -> HttpResponse:
    """429 with Retry-After: the log-in page again (the username kept), JSON on API paths."""
    minutes = cool_off_minutes()
    message = _("Too many failed log-ins from your address. Wait %(minutes)d minutes and try again, "
                "or ask an admin to unlock your account.") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        answer: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        username = (credentials or {}).get("username") or request.POST.get("username", "")
        form = AuthenticationForm(request, initial={"username": username[:150]})
        answer = render(request, "registration/login.html", {
            "form": form, "locked_out": message,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        }, status=429)
    answer["Retry-After"] = str(minutes * 60)
    return answer


# django-axes has no Chinese: its admin's names, translated in our catalogue (kept there by this list).
AXES_ADMIN_NAMES = (
    gettext_noop("access attempt"), gettext_noop("access attempts"), gettext_noop("access failure"),
    gettext_noop("access failures"), gettext_noop("access log"), gettext_noop("access logs"),
    gettext_noop("Attempt Time"), gettext_noop("Failed Logins"), gettext_noop("IP Address"),
    gettext_noop("User Agent"), gettext_noop("Username"), gettext_noop("Path"),
    gettext_noop("Logout Time"), gettext_noop("Access lock out"),
)
