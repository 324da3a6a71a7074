"""Running a workflow transition: the one way a case changes state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition

from cases import deadlines, events, outgoing, reminders
from cases.approval import NEEDS_APPROVAL
from cases.models import Case, State
from cases.permissions import AGENT, roles_of
from cases.phrases import hits_in_words_to_the_buyer
from cases.services.common import check_may, field_values, jsonable, lock_case, save_changes, validate
from cases.services.surveys import prepare_survey
from cases.workflows import (
    transition_from,
    transition_input,
    transition_label,
    transitions_of,
    workflow_for,
)
from config.service_errors import Conflict, NotAllowed, NotFound


def run_transition(*, case_id: int, name: str, by: Any, data: Mapping[str, Any] | None) -> Case:
    """Run the transition `name` on the case as user `by` (None: the system) with its input data.

    Raises NotFound (no such case or transition), NotAllowed (this user may not), Conflict (not
    possible from the current state, a guard failed, or the case changed meanwhile) and
    InvalidInput (field errors). Nothing is written unless everything succeeds.

    Words the input carries to the buyer or the public (a message, a public reply) are checked
    for phrases to avoid; the hits are kept in the timeline event's data (`phrase_hits`) and
    returned on the case as `case.phrase_hits` (warnings: the step is still made).
    """
    with transaction.atomic():
        case = lock_case(case_id)
        check_may(by, "cases.work_case", case, _("You may not work on this case."))
        spec = transitions_of(case).get(name)
        if spec is None:
            raise NotFound(
                _("A “%(kind)s” case has no transition %(name)s; it has: %(names)s.")
                % {"kind": case.get_kind_display(), "name": name,
                   "names": ", ".join(transitions_of(case))}
            )
        method = getattr(case, name)
        if by is not None and not spec.has_perm(case, by):
            raise NotAllowed(_("Only a supervisor of the shop may do this: %(action)s.")
                             % {"action": transition_label(case, name)})
        if transition_from(case, name) is None:
            raise Conflict(
                _("“%(action)s” is not possible while the case is “%(state)s”.")
                % {"action": transition_label(case, name), "state": case.get_state_display()},
                state=case.state,
            )
        reason = _failing_guard(case, name)
        if reason is not None:
            raise Conflict(reason, state=case.state)
        values = validate(transition_input(case, name), data, case=case)

        loaded, running_before = field_values(case), deadlines.running(case)
        if _claims_by_acting(case, by):
            case.assignee = by
            events.case_claimed(case=case, by=by)  # in the state the agent found the case in
        from_state = case.state
        was_resolved_at = case.resolved_at
        method(by=by, **values)
        deadlines.after_transition(case, was_resolved_at=was_resolved_at)
        # A threat puts the case ahead while it is open (closed: no longer; reopened: again).
        case.flagged = bool(case.threats) and case.state != State.CLOSED
        try:
            save_changes(case, loaded)
        except ConcurrentTransition:
            raise Conflict(_("This case changed meanwhile; reload it."), state=from_state) from None

        effect = workflow_for(case.kind).effects.get(name)
        if effect is not None:
            effect(case, by, values)
        hits = [hit.as_dict() for hit in hits_in_words_to_the_buyer(values, case.shop)]
        # Why a proposed refund waits for a supervisor (cases/approval.py), kept with the step.
        asked = getattr(case, "approval_reasons", None) if case.state == State.AWAITING_APPROVAL \
            else None
        event = events.transition_made(
            case=case, by=by, name=name, from_state=from_state,
            data={**jsonable(values), **({"phrase_hits": hits} if hits else {}),
                  **({NEEDS_APPROVAL: asked} if asked else {})},
        )
        case.phrase_hits = hits
        outgoing.record_case_change(case, event)
        if case.state == State.CLOSED and from_state != State.CLOSED:
            prepare_survey(case)  # closed as resolved: the buyer's satisfaction survey, once
        moved = case.state == State.CLOSED or deadlines.running(case) != running_before
        reminders.after_transition(case, name=name, by=by, event=event, deadlines_moved=moved)
    return case


def _claims_by_acting(case: Case, by: Any) -> bool:
    """An agent who works an unassigned case of their shop takes it."""
    if by is None or case.assignee_id is not None:
        return False
    groups, _shops = roles_of(by)
    return AGENT in groups


def _failing_guard(case: Case, name: str) -> Any:
    """The reason of the first guard of this transition that fails now, or None."""
    transition = transition_from(case, name)
    for guard in transition.conditions if transition is not None else ():
        if not guard(case):
            return guard.reason_for(case) if hasattr(guard, "reason_for") else _("Not possible now.")
    return None


def blocked_transitions(case: Case, user: Any) -> dict[str, str]:
    """Transitions this user could run from this state but for a guard, each with what to do."""
    if not user.has_perm("cases.work_case", case):
        return {}
    blocked = {}
    for name in transitions_of(case):
        transition = transition_from(case, name)
        if transition is not None and transition.has_perm(case, user):
            reason = _failing_guard(case, name)
            if reason is not None:
                blocked[name] = str(reason)
    return blocked


def available_transitions(case: Case, user: Any) -> list[str]:
    """The transitions this user may run on the case now (state, guards and permission)."""
    if not user.has_perm("cases.work_case", case):
        return []
    return [t.name for t in case.get_available_user_state_transitions(user)]
