"""The dispute workflow (refund, non-delivery, item not as described).

Transition methods only guard and change fields; cases/services/transitions.py runs them inside a
transaction with the permission check, the timeline event and the after-commit effects.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, transition

from cases import approval, deadlines, guards
from cases.models.case import Case, ClosedAs, Kind, Remedy, State
from cases.permissions import may_approve, may_hand_over, may_work

S = State
BEFORE_RESOLUTION = [S.NEW, S.ACKNOWLEDGED, S.CALMED, S.UNDERSTOOD, S.PROPOSED,
                     S.AWAITING_APPROVAL]
HANDED_OVER_FROM = [S.ACKNOWLEDGED, S.CALMED, S.UNDERSTOOD, S.PROPOSED, S.AWAITING_APPROVAL,
                    S.ESCALATED]
WITHDRAWABLE = [*BEFORE_RESOLUTION, S.ESCALATED]

REMEDIES_BY_KIND: dict[str, tuple[str, ...]] = {
    Kind.REFUND: (Remedy.FULL_REFUND, Remedy.PARTIAL_REFUND),
    Kind.NON_DELIVERY: (Remedy.RESHIP, Remedy.FULL_REFUND),
    Kind.NOT_AS_DESCRIBED: (Remedy.EXCHANGE, Remedy.RETURN_AND_REFUND, Remedy.PARTIAL_REFUND),
}


def ui(label: Promise, help_text: Promise) -> dict[str, Promise]:
    """What the admin and the pages show for a transition."""
    return {"label": label, "help_text": help_text}


class Dispute(Case):
    class Meta:
        proxy = True
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    @transition(field="state", source=S.NEW, target=S.ACKNOWLEDGED, permission=may_work,
                custom=ui(
                    _("Acknowledge"),
                    _("The first reply to the buyer: greet them and say you are on it."),
                ))
    def acknowledge(self, *, message: str, **_: Any) -> None:
        if self.first_responded_at is None:
            self.first_responded_at = timezone.now()

    @transition(field="state", source=S.ACKNOWLEDGED, target=S.CALMED, permission=may_work,
                custom=ui(
                    _("Calm"),
                    _("After the buyer has vented, first soothe them; do not argue."),
                ))
    def calm(self, *, note: str, **_: Any) -> None:
        self.calmed_at = timezone.now()

    @transition(field="state", source=S.CALMED, target=S.UNDERSTOOD, permission=may_work,
                custom=ui(
                    _("Listen"),
                    _("Dig out the buyer's core problem before offering anything."),
                ))
    def listen(self, *, core_problem: str, tracking_status: str = "", **_: Any) -> None:
        self.core_problem = core_problem
        if tracking_status:
            self.tracking_status = tracking_status

    @transition(field="state", source=[S.UNDERSTOOD, S.ESCALATED],
                target=RETURN_VALUE(S.PROPOSED, S.AWAITING_APPROVAL),
                conditions=[guards.heard_buyer], permission=may_work,
                custom=ui(
                    _("Propose remedy"),
                    _("Offer a remedy that meets the buyer's basic need first. A refund above "
                      "the shop's limits waits for a supervisor's approval."),
                ))
    def propose(self, *, remedy: str, amount: Decimal | None = None, by: Any = None,
                **_: Any) -> str:
        self.chosen_remedy = remedy
        self.remedy_amount = amount
        return approval.state_after_proposal(self, by=by, remedy=remedy, amount=amount,
                                             proposed=S.PROPOSED)

    @transition(field="state", source=S.AWAITING_APPROVAL, target=S.PROPOSED,
                permission=may_approve, custom=ui(
                    _("Approve refund"),
                    _("A supervisor agrees to the refund; it is proposed to the buyer."),
                ))
    def approve_remedy(self, **_: Any) -> None:
        pass

    @transition(field="state", source=S.AWAITING_APPROVAL, target=S.UNDERSTOOD,
                permission=may_approve, custom=ui(
                    _("Decline refund"),
                    _("A supervisor turns the refund down, with the reason: the agent looks for "
                      "another remedy."),
                ))
    def decline_remedy(self, *, reason: str, **_: Any) -> None:
        self.chosen_remedy = ""
        self.remedy_amount = None

    @transition(field="state", source=S.PROPOSED, target=S.RESOLVED,
                conditions=[guards.heard_buyer], permission=may_work,
                custom=ui(
                    _("Buyer accepted"),
                    _("The buyer accepted the remedy; it is recorded as executed."),
                ))
    def accept(self, **_: Any) -> None:
        self.resolved_at = timezone.now()

    @transition(field="state", source=S.PROPOSED, target=S.UNDERSTOOD, permission=may_work,
                custom=ui(
                    _("Buyer rejected"),
                    _("The buyer turned the remedy down: listen again."),
                ))
    def reject(self, *, reason: str, **_: Any) -> None:
        self.chosen_remedy = ""
        self.remedy_amount = None

    @transition(field="state", source=BEFORE_RESOLUTION, target=S.ESCALATED, permission=may_work,
                custom=ui(
                    _("Escalate"),
                    _("Pass the complaint to a supervisor, with the reason."),
                ))
    def escalate(self, *, reason: str, **_: Any) -> None:
        self.escalated_at = timezone.now()

    @transition(field="state", source=HANDED_OVER_FROM, target=S.ACKNOWLEDGED,
                permission=may_hand_over, custom=ui(
                    _("Hand over"),
                    _("The fastest way to calm a deadlocked buyer is to change the agent."),
                ))
    def hand_over(self, *, to: Any, reason: str, **_: Any) -> None:
        self.assignee = to
        self.start_new_cycle()
        deadlines.restart_resolution_clock(self, timezone.now())

    @transition(field="state", source=S.RESOLVED, target=S.CLOSED,
                conditions=[guards.buyer_reached_after_resolution], permission=may_work,
                custom=ui(
                    _("Close"),
                    _("The buyer was reached after the resolution and the shop spoke last."),
                ))
    def close(self, **_: Any) -> None:
        self.closed_at = timezone.now()
        self.closed_as = ClosedAs.RESOLVED

    @transition(field="state", source=WITHDRAWABLE, target=S.CLOSED, permission=may_work,
                custom=ui(
                    _("Buyer withdrew"),
                    _("The buyer withdrew the request."),
                ))
    def withdraw(self, *, reason: str, **_: Any) -> None:
        self.closed_at = timezone.now()
        self.closed_as = ClosedAs.WITHDRAWN

    @transition(field="state", source=S.CLOSED, target=S.ACKNOWLEDGED,
                conditions=[guards.within_reopen_window], permission=may_work,
                custom=ui(
                    _("Reopen"),
                    _("The problem came back within the reopen window."),
                ))
    def reopen(self, *, reason: str, **_: Any) -> None:
        self.closed_at = None
        self.closed_as = ""
        self.resolved_at = None
        self.start_new_cycle()
        deadlines.restart_resolution_clock(self, timezone.now())
