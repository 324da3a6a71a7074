"""Where each demo case ends, how it gets there, and how long ago it happened."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from cases.models import State
from demo import texts
from demo.stories import SEED, SUPERVISOR_USERNAME, CasePlan, Step, Story, kind_of
from demo.timing import story_times

# A deadline passes here and the system escalates the case (no service call of the story's own).
BREACH = Step("breach", None)

# --- scenarios: where each case ends and how it gets there ----------------------------------------

StoryT = TypeVar("StoryT")


def _new_unassigned(s: Story) -> list[Step]:
    return []


def _new_claimed(s: Story) -> list[Step]:
    return [Step("claim", s.agent)]


def _acknowledged(s: Story) -> list[Step]:
    return [*s.first_message(), s.acknowledge()]


def _calmed(s: Story) -> list[Step]:
    return [*s.first_message(), s.acknowledge(), s.calm(s.agent)]


def _understood(s: Story) -> list[Step]:
    return [*s.first_message(), s.acknowledge(), s.calm(s.agent), s.listen(s.agent)]


def _understood_after_reject(s: Story) -> list[Step]:
    return [*_understood(s), *s.propose_and_reject(s.agent)]


def _proposed(s: Story) -> list[Step]:
    return [*_understood(s), s.propose(s.agent)]


def _proposed_after_reject(s: Story) -> list[Step]:
    return [*_understood_after_reject(s), s.propose(s.agent)]


def _resolved(s: Story) -> list[Step]:
    after = s.rng.choice((
        [],
        [s.no_answer(s.agent)],
        [Step("contact", s.agent, {"channel": "call", "direction": "outbound",
                                   "outcome": "do_not_contact",
                                   "body": s.pick(texts.DO_NOT_CONTACT_NOTES)})],
    ))
    return [*s.first_message(), *s.to_resolved(s.agent), *after]


def _closed(s: Story) -> list[Step]:
    return [*s.first_message(), *s.closed_as_resolved(s.agent)]


def _withdrawn(s: Story) -> list[Step]:
    a = s.agent
    return s.rng.choice((
        [s.withdraw(a)],  # an agent acting on a new case claims it
        [s.acknowledge(), s.withdraw(a)],
        [s.acknowledge(), s.calm(a), s.listen(a), s.withdraw(a)],
        [s.acknowledge(), s.calm(a), s.escalate(a), s.withdraw(SUPERVISOR_USERNAME)],
    ))


def _escalated_by_agent(s: Story) -> list[Step]:
    listened = [s.listen(s.agent)] if s.rng.random() < 0.5 else []
    return [s.acknowledge(), s.calm(s.agent), *listened, s.escalate(s.agent)]


def _escalated_by_system(s: Story) -> list[Step]:
    """A deadline passed: the system escalated the case (the worker's sweep, under the story's
    clock)."""
    if s.rng.random() < 0.5:
        return [BREACH]  # nobody answered in time: stays unassigned
    return [s.acknowledge(), BREACH]  # answered, never resolved in time


def _supervisor_resolves_escalation(s: Story) -> list[Step]:
    sup = SUPERVISOR_USERNAME
    return [s.acknowledge(), s.calm(s.agent), s.listen(s.agent), s.escalate(s.agent),
            s.propose(sup), s.accept(sup), *s.follow_up(sup), s.close(sup)]


def _handed_over(s: Story) -> list[Step]:
    a, b = s.agent, s.other
    return [s.acknowledge(), s.calm(a), s.hand_over(b), s.calm(b), s.listen(b)]


def _handed_over_after_escalation_closed(s: Story) -> list[Step]:
    a, b = s.agent, s.other
    return [s.acknowledge(), s.calm(a), s.escalate(a), s.hand_over(b),
            s.calm(b), s.listen(b), s.propose(b), s.accept(b), *s.follow_up(b), s.close(b)]


def _handed_over_after_rejection_resolved(s: Story) -> list[Step]:
    a, b = s.agent, s.other
    return [s.acknowledge(), s.calm(a), s.listen(a), *s.propose_and_reject(a), s.hand_over(b),
            s.calm(b), s.listen(b), s.propose(b), s.accept(b)]


def _unanswered_escalation_handed_over(s: Story) -> list[Step]:
    """Nobody answered in time; the supervisor gave it to an agent, who wrote to the buyer."""
    return [BREACH, s.hand_over(s.agent), s.apology(s.agent), s.calm(s.agent)]


def _reopened(s: Story) -> list[Step]:
    return [*s.closed_as_resolved(s.agent), s.reopen(s.agent)]


def _reopened_and_proposed_again(s: Story) -> list[Step]:
    a = s.agent
    return [*_reopened(s), s.calm(a), s.listen(a), s.propose(a)]


@dataclass(frozen=True)
class Scenario(Generic[StoryT]):
    """Where a demo case ends, the service calls that take it there, and how often it is."""

    expected_state: str
    steps: Callable[[StoryT], list[Step]]
    weight: int


SCENARIOS: dict[str, Scenario[Story]] = {
    "new_unassigned": Scenario(State.NEW, _new_unassigned, 3),
    "new_claimed": Scenario(State.NEW, _new_claimed, 1),
    "acknowledged": Scenario(State.ACKNOWLEDGED, _acknowledged, 2),
    "calmed": Scenario(State.CALMED, _calmed, 2),
    "understood": Scenario(State.UNDERSTOOD, _understood, 2),
    "understood_after_reject": Scenario(State.UNDERSTOOD, _understood_after_reject, 1),
    "proposed": Scenario(State.PROPOSED, _proposed, 2),
    "proposed_after_reject": Scenario(State.PROPOSED, _proposed_after_reject, 1),
    "resolved": Scenario(State.RESOLVED, _resolved, 3),
    "closed": Scenario(State.CLOSED, _closed, 5),
    "withdrawn": Scenario(State.CLOSED, _withdrawn, 2),
    "escalated_by_agent": Scenario(State.ESCALATED, _escalated_by_agent, 2),
    "escalated_by_system": Scenario(State.ESCALATED, _escalated_by_system, 1),
    "supervisor_resolves_escalation": Scenario(
        State.CLOSED, _supervisor_resolves_escalation, 1),
    "handed_over": Scenario(State.UNDERSTOOD, _handed_over, 1),
    "handed_over_after_escalation_closed": Scenario(
        State.CLOSED, _handed_over_after_escalation_closed, 1),
    "handed_over_after_rejection_resolved": Scenario(
        State.RESOLVED, _handed_over_after_rejection_resolved, 1),
    "unanswered_escalation_handed_over": Scenario(
        State.CALMED, _unanswered_escalation_handed_over, 1),
    "reopened": Scenario(State.ACKNOWLEDGED, _reopened, 1),
    "reopened_and_proposed_again": Scenario(
        State.PROPOSED, _reopened_and_proposed_again, 1),
}


def _schedule() -> list[str]:
    """Every scenario by its weight, in a fixed shuffled order: any 34 cases in a row cover all."""
    slots = [name for name, scenario in SCENARIOS.items() for _ in range(scenario.weight)]
    random.Random(SEED).shuffle(slots)
    return slots


SCHEDULE = _schedule()


def plan_case(number: int, now: datetime) -> CasePlan:
    """The demo case with this number (1, 2, ...): the same plan for the same number and `now`."""
    name = SCHEDULE[(number - 1) % len(SCHEDULE)]
    scenario = SCENARIOS[name]
    kind = kind_of(number)
    draft = Story(number, kind, opened=now)  # the same steps; only the photos' times differ
    draft.payload()
    offsets, age = story_times(scenario.steps(draft), kind, random.Random(f"{SEED}-{number}-time"))
    story = Story(number, kind, opened=now - age)
    payload = story.payload()
    return CasePlan(
        number=number, kind=kind, scenario=name, expected_state=scenario.expected_state,
        payload=payload, steps=scenario.steps(story), age=age, offsets=offsets,
    )
