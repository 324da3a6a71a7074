"""Workflow guards: each is a model predicate with the reason a user is shown when it fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from cases.models import Case


@dataclass(frozen=True)
class Guard:
    check: Callable[[Case], bool]
    reason: str | Promise

    def __call__(self, case: Case) -> bool:
        return self.check(case)

    def reason_for(self, case: Case) -> str | Promise:
        return self.reason


class ContactAllowedNow:
    """The shop may call or message the buyer now (contact policy); the reason names the rule."""

    def __call__(self, case: Case) -> bool:
        return self._refusal(case) is None

    def reason_for(self, case: Case) -> str | Promise:
        refusal = self._refusal(case)
        return refusal.message if refusal is not None else ""

    @staticmethod
    def _refusal(case: Case) -> object:
        from django.utils import timezone

        from cases.contact_policy import outbound_refusal

        return outbound_refusal(customer=case.customer, shop=case.shop, at=timezone.now())


contact_allowed_now = ContactAllowedNow()


heard_buyer = Guard(
    lambda case: case.has_heard_buyer(),
    _("Calm the buyer and record their core problem first (calm, then listen)."),
)

buyer_reached_after_resolution = Guard(
    lambda case: case.buyer_reached_after_resolution(),
    _(
        "Reach the buyer after the resolution (a call that reached them, or their reply), and "
        "end the conversation with the shop's own message, then close."
    ),
)

within_reopen_window = Guard(
    lambda case: case.within_reopen_window(),
    _("The reopen window of this shop has passed; open a new case instead."),
)
