"""Who has a case: an agent claims one (or the most urgent one), a supervisor assigns one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import F, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import events
from cases.models import Case, State
from cases.permissions import AGENT, SUPERVISOR, roles_of
from cases.services.common import check_may, lock_case
from config.service_errors import Conflict, InvalidInput, NotAllowed, NotFound

# claim_next on a database without row locks: how many candidates one read brings, and how many
# reads before it gives up (each candidate is taken by a conditional UPDATE, or was taken already).
CANDIDATES_PER_READ = 10
READS = 5


def claim_case(*, case_id: int, by: Any) -> Case:
    """An agent takes an unassigned case of their shop."""
    with transaction.atomic():
        case = lock_case(case_id)
        if case.assignee_id is not None:
            if case.assignee_id == by.pk:
                return case
            if not by.has_perm("cases.open_case_in_shop", case.shop):
                # Someone outside the shop learns nothing about its cases (not even who has one).
                raise NotFound(_("There is no case %(id)s.") % {"id": case.pk})
            raise Conflict(
                _("%(username)s already has this case.") % {"username": case.assignee.get_username()},
                state=case.state, assignee=case.assignee.get_username(),
            )
        check_may(by, "cases.claim_case", case, _("Only the shop's agents may claim its cases."))
        case.assignee = by
        case.save(update_fields=["assignee", "updated_at"])
        events.case_claimed(case=case, by=by)
    return case


def most_urgent_first(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The order claim_next hands cases out in:

    1. escalated cases (a supervisor's or the marketplace's complaint, or a passed deadline), then
       cases whose buyer threatens (a complaint, legal action, exposure: `flagged`);
    2. cases on the marketplace's clock (the platform decides without the shop when it runs out,
       as long as the shop has not answered), the nearest first;
    3. the nearest next deadline (the shop's own clocks);
    4. the oldest, then the lowest number.
    Cases without a deadline come after those with one at each step.
    """
    marketplace_clock = SqlCase(When(first_responded_at__isnull=True, then=F("marketplace_due_at")),
                              default=None)
    ahead = SqlCase(When(state=State.ESCALATED, then=0), When(flagged=True, then=1), default=2)
    return cases.order_by(ahead, marketplace_clock.asc(nulls_last=True),
                          F("next_due_at").asc(nulls_last=True), "opened_at", "id")


def claimable_by(user: Any) -> QuerySet[Case]:
    """The unassigned open cases of the shops where the user is an agent or a supervisor (the
    `cases.claim_case` rule, as a query); read through the partial index of unassigned cases."""
    groups, shop_ids = roles_of(user)
    if not groups & {AGENT, SUPERVISOR} or not shop_ids:
        return Case.objects.none()
    return Case.objects.filter(shop_id__in=shop_ids, assignee__isnull=True).exclude(
        state=State.CLOSED)


def claim_next(*, by: Any) -> Case:
    """The agent takes the most urgent unassigned case of their shops (most_urgent_first).

    Two agents pressing at once get two different cases: on PostgreSQL the candidate row is locked
    with SELECT … FOR UPDATE SKIP LOCKED, so a second agent passes over it to the next one; where
    there are no row locks each candidate is taken by UPDATE … WHERE assignee IS NULL, and one
    that another agent took meanwhile is passed over. The claim is recorded as a single claim is.
    Raises NotFound when no unassigned case is left.
    """
    row_locks = connection.features.has_select_for_update_skip_locked
    case = _lock_next(by) if row_locks else _update_next(by)
    if case is None:
        raise NotFound(_("No unassigned case is left in your shops."))
    return case


def _lock_next(by: Any) -> Case | None:
    with transaction.atomic():
        case = (most_urgent_first(claimable_by(by))
                .select_for_update(skip_locked=True, of=("self",)).first())
        if case is None:
            return None
        check_may(by, "cases.claim_case", case, _("Only the shop's agents may claim its cases."))
        case.assignee = by
        case.save(update_fields=["assignee", "updated_at"])
        events.case_claimed(case=case, by=by)
    return case


def _update_next(by: Any) -> Case | None:
    candidates = most_urgent_first(claimable_by(by)).values_list("pk", flat=True)
    for _read in range(READS):
        ids = list(candidates[:CANDIDATES_PER_READ])
        if not ids:
            return None
        for case_id in ids:
            with transaction.atomic():
                taken = claimable_by(by).filter(pk=case_id).update(
                    assignee=by, updated_at=timezone.now())
                if taken:
                    case = lock_case(case_id)
                    events.case_claimed(case=case, by=by)
                    return case
    return None


def assign_case(*, case_id: int, to: str, by: Any) -> Case:
    """A supervisor gives an unassigned open case to an agent of its shop (by username).

    A case someone already has is handed over instead (the hand_over step: the new agent calms
    and listens again), so this refuses it; the same agent again changes nothing.
    """
    with transaction.atomic():
        case = lock_case(case_id)
        if not by.has_perm("cases.see_case", case):
            raise NotFound(_("There is no case %(id)s.") % {"id": case.pk})
        if not by.has_perm("cases.assign_in_shop", case.shop):
            raise NotAllowed(_("Only a supervisor of the shop may assign its cases."))
        if case.state == State.CLOSED:
            raise Conflict(_("A closed case cannot be assigned; reopen it first."), state=case.state)
        agent = _agent_of_shop(to, case.shop_id)
        if case.assignee_id == agent.pk:
            return case
        if case.assignee_id is not None:
            raise Conflict(
                _("%(username)s already has this case; hand it over instead.")
                % {"username": case.assignee.get_username()},
                state=case.state, assignee=case.assignee.get_username(),
            )
        case.assignee = agent
        case.save(update_fields=["assignee", "updated_at"])
        events.case_assigned(case=case, by=by, to=agent)
    return case


def _agent_of_shop(username: str, shop_id: int) -> Any:
    agent = get_user_model().objects.filter(
        username=username, is_active=True, shops=shop_id, groups__name__in=[AGENT, SUPERVISOR],
    ).first()
    if agent is None:
        raise InvalidInput({"to": [_("%(username)s is not an agent of this shop.")
                                   % {"username": username}]})
    return agent
