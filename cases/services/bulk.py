"""A supervisor's action on many cases at once: each case through the same service as one.

assign → assign_case, claim → claim_case; hand_over, escalate, approve_remedy and
decline_remedy → run_transition with the transition's input. Each case in its own transaction, so
a refusal (a closed case, another shop's case, a guard) is reported for that case and undoes
nothing else; the rules, the timeline and the notifications are those of the single action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from cases.inputs import BulkInput
from cases.permissions import SUPERVISOR, roles_of
from cases.selectors import visible_to
from cases.services.assignment import assign_case, claim_case
from cases.services.common import validate
from cases.services.transitions import run_transition
from config.service_errors import Conflict, InvalidInput, NotAllowed, NotFound, ServiceError

DONE = "done"
REFUSED = "refused"

# What a refusal's `code` says, by the service's error.
CODES: dict[type[ServiceError], str] = {
    NotFound: "not_found", NotAllowed: "not_allowed", Conflict: "conflict",
    InvalidInput: "invalid",
}


@dataclass(frozen=True)
class BulkResult:
    """One case's outcome: done, or refused with the reason (in the user's language) and a code
    (not_found, not_allowed, conflict, invalid)."""

    id: int
    status: str
    reason: str = ""
    code: str = ""

    def as_dict(self) -> dict[str, Any]:
        if self.status == DONE:
            return {"id": self.id, "status": self.status}
        return {"id": self.id, "status": self.status, "code": self.code, "reason": self.reason}


def run_bulk(*, by: Any, action: str, ids: Any, data: Mapping[str, Any] | None = None
             ) -> list[BulkResult]:
    """Run `action` on each of the case ids (at most 100, duplicates once) as user `by`.

    data: `to` (a username: assign, hand_over) and `reason` (hand_over, escalate, decline_remedy). Raises
    NotAllowed unless `by` supervises a shop (or is an admin), InvalidInput when the request
    cannot succeed for any case (unknown action, ids not a list or too many, no `to` or `reason`,
    `to` not an agent of the user's shops); then nothing is changed. Cases the user may not see
    are refused as not found, like any unknown id.
    """
    groups, _shops = roles_of(by)
    if not (by.is_active and by.is_superuser) and SUPERVISOR not in groups:
        raise NotAllowed(_("Only supervisors may act on many cases at once."))
    sent = {**(data or {}), **{k: v for k, v in (("action", action), ("ids", ids)) if v is not None}}
    values = validate(BulkInput, sent, by=by)
    wanted = list(dict.fromkeys(values["ids"]))
    visible = set(visible_to(by).filter(pk__in=wanted).values_list("pk", flat=True))
    run = _runner(values, by)
    results = []
    for case_id in wanted:
        if case_id not in visible:
            results.append(BulkResult(case_id, REFUSED, str(_("There is no case %(id)s.")
                                                          % {"id": case_id}), CODES[NotFound]))
            continue
        try:
            run(case_id)
        except ServiceError as error:
            results.append(BulkResult(case_id, REFUSED, _reason(error), _code(error)))
        else:
            results.append(BulkResult(case_id, DONE))
    return results


def _runner(values: dict[str, Any], by: Any) -> Callable[[int], Any]:
    action = values["action"]
    if action == "assign":
        return lambda case_id: assign_case(case_id=case_id, to=values["to"], by=by)
    if action == "claim":
        return lambda case_id: claim_case(case_id=case_id, by=by)
    if action == "approve_remedy":
        return lambda case_id: run_transition(case_id=case_id, name=action, by=by, data={})
    data = {"reason": values["reason"]}
    if action == "hand_over":
        data["to"] = values["to"]
    return lambda case_id: run_transition(case_id=case_id, name=action, by=by, data=data)


def _code(error: ServiceError) -> str:
    return next((code for kind, code in CODES.items() if isinstance(error, kind)), "refused")


def _reason(error: ServiceError) -> str:
    """The error's message; for bad data, what is wrong with each field too."""
    reason = str(error.message)
    if isinstance(error, InvalidInput):
        problems = [str(p) for field in error.errors.values()
                    for p in (field if isinstance(field, list | tuple) else [field])]
        reason = " ".join([reason, *problems]) if problems else reason
    return reason
