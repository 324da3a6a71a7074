"""Guards of the negative-review workflow (cases/guards.py has the shared ones)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import events
from cases.contact_policy import buyer_unreachable
from cases.guards import Guard
from cases.models import Outcome

if TYPE_CHECKING:
    from cases.models import Case


def reached_in_this_cycle(case: Case) -> bool:
    """A contact reached the buyer since the case last changed hands (a hand-over restarts calm)."""
    handed_over = (case.timeline.filter(type="hand_over").order_by("-id")
                   .values_list("id", flat=True).first())
    return case.timeline.filter(type=events.CONTACT_LOGGED, id__gt=handed_over or 0,
                                data__outcome=Outcome.REACHED).exists()


# `calm` checks buyer_contactable first, so this one only asks for the reached contact.
buyer_reached = Guard(
    reached_in_this_cycle,
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
