"""The dispute workflow as a table (transition → source → target), how a case reaches each state,
and the helpers the transition tests share."""

from __future__ import annotations

from typing import Any

import pytest

from cases.models import Case, Kind, State
from tests.factories import (
    PROPOSAL_BY_KIND,
    STEP_DATA,
    TO_RESOLVED,
    open_case,
    reach_buyer,
    step,
    walk,
)

S = State

# The workflow as the issue describes it: transition → {source state: target state}.
WORKFLOW: dict[str, dict[str, str]] = {
    "acknowledge": {S.NEW: S.ACKNOWLEDGED},
    "calm": {S.ACKNOWLEDGED: S.CALMED},
    "listen": {S.CALMED: S.UNDERSTOOD},
    "propose": {S.UNDERSTOOD: S.PROPOSED, S.ESCALATED: S.PROPOSED},
    "accept": {S.PROPOSED: S.RESOLVED},
    "reject": {S.PROPOSED: S.UNDERSTOOD},
    "escalate": {s: S.ESCALATED for s in (S.NEW, S.ACKNOWLEDGED, S.CALMED, S.UNDERSTOOD, S.PROPOSED)},
    "hand_over": {
        s: S.ACKNOWLEDGED for s in (S.ACKNOWLEDGED, S.CALMED, S.UNDERSTOOD, S.PROPOSED, S.ESCALATED)
    },
    "close": {S.RESOLVED: S.CLOSED},
    "withdraw": {
        s: S.CLOSED
        for s in (S.NEW, S.ACKNOWLEDGED, S.CALMED, S.UNDERSTOOD, S.PROPOSED, S.ESCALATED)
    },
    "reopen": {S.CLOSED: S.ACKNOWLEDGED},
}

# How a case reaches each state (the buyer heard, so no guard gets in the way of the table).
PATHS: dict[str, tuple[str, ...]] = {
    S.NEW: (),
    S.ACKNOWLEDGED: ("acknowledge",),
    S.CALMED: ("acknowledge", "calm"),
    S.UNDERSTOOD: ("acknowledge", "calm", "listen"),
    S.PROPOSED: ("acknowledge", "calm", "listen", "propose"),
    S.RESOLVED: TO_RESOLVED,
    S.CLOSED: ("acknowledge", "withdraw"),
    S.ESCALATED: ("acknowledge", "calm", "listen", "escalate"),
}

ALLOWED = [(name, source) for name, moves in WORKFLOW.items() for source in moves]
# The dispute workflow's states (the review workflow's own states are never a dispute's).
DISPUTE_STATES = [S.NEW, S.ACKNOWLEDGED, S.CALMED, S.UNDERSTOOD, S.PROPOSED, S.RESOLVED,
                  S.CLOSED, S.ESCALATED]
REFUSED = [(name, source) for name, moves in WORKFLOW.items() for source in DISPUTE_STATES
           if source not in moves]


def case_in(state: str, shop: Any, agent: Any, kind: str = Kind.REFUND) -> Case:
    """A case of the agent's in `state`; a resolved case has had its follow-up call."""
    case = walk(open_case(shop, by=agent, kind=kind), agent, *PATHS[state])
    if state == S.RESOLVED:
        reach_buyer(case, agent)
    return case


def data_for(name: str, case: Case, hand_to: Any) -> dict[str, Any]:
    if name == "propose":
        return dict(PROPOSAL_BY_KIND[case.kind])
    if name == "hand_over":
        return {"to": hand_to.username, "reason": "The buyer and the agent are deadlocked."}
    return dict(STEP_DATA[name])


def transition_url(case: Case, name: str) -> str:
    return f"/api/v1/cases/{case.pk}/transitions/{name}/"


def fails(exc_type: type[Exception], case: Case, name: str, by: Any, **data: Any) -> Any:
    with pytest.raises(exc_type) as error:
        step(case, name, by, **data)
    return error.value
