"""Guards of the negative-review workflow (cases/guards.py has the shared ones)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.contact_policy import buyer_unreachable
from cases.guards import Guard
from cases.models import Outcome

buyer_reached = Guard(
    lambda case: case.contacts.filter(outcome=Outcome.REACHED).exists()
    and not buyer_unreachable(case.customer, case.shop, timezone.now()),
    _("Reach the buyer first (log a call or message with the outcome 'reached'); a buyer who "
      "cannot be contacted can only get a public reply."),
)

buyer_contactable = Guard(
    lambda case: not buyer_unreachable(case.customer, case.shop, timezone.now()),
    _("The buyer asked not to be contacted, or the contact limit is used up without reaching "
      "them: only a public reply is possible."),
)

revision_not_requested_yet = Guard(
    lambda case: not case.review.revision_requested_at,
    _("A revision was already requested once for this review; asking again is harassment."),
)
