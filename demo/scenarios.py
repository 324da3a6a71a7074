"""Where each demo case ends, how it gets there, and how long ago it happened."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from cases.models import State
from cases.services.escalation import BREACH_REASONS
from demo import texts
from demo.stories import HOUR, SEED, SUPERVISOR_USERNAME, CasePlan, Step, Story, kind_of

FIRST_RESPONSE_MISSED = BREACH_REASONS["first_response"]
RESOLUTION_MISSED = BREACH_REASONS["resolution"]

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
    if s.rng.random() < 0.5:
        return [s.escalate(None, FIRST_RESPONSE_MISSED)]  # nobody answered: stays unassigned
    return [s.acknowledge(), s.escalate(None, RESOLUTION_MISSED)]


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
    return [s.escalate(None, FIRST_RESPONSE_MISSED), s.hand_over(s.agent), s.calm(s.agent)]


def _reopened(s: Story) -> list[Step]:
    return [*s.closed_as_resolved(s.agent), s.reopen(s.agent)]


def _reopened_and_proposed_again(s: Story) -> list[Step]:
    a = s.agent
    return [*_reopened(s), s.calm(a), s.listen(a), s.propose(a)]


Ages = Callable[[random.Random], tuple[float, float]]  # (age, duration) in hours


def _fresh_or_overdue(fresh: tuple[float, float], overdue: tuple[float, float], share: float
                      ) -> Ages:
    def ages(rng: random.Random) -> tuple[float, float]:
        age = rng.uniform(*(overdue if rng.random() < share else fresh))
        return age, age * rng.uniform(0.3, 0.9)
    return ages


def _spans(age: tuple[float, float], duration: tuple[float, float]) -> Ages:
    def ages(rng: random.Random) -> tuple[float, float]:
        a = rng.uniform(*age)
        return a, min(rng.uniform(*duration), a * 0.95)
    return ages


NEW_AGES = _fresh_or_overdue((0.1, 20), (26, 96), 0.2)
OPEN_AGES = _fresh_or_overdue((1, 60), (80, 240), 0.15)
ESCALATED_AGES = _fresh_or_overdue((40, 120), (120, 480), 0.5)
LATE_AGES = _spans((130, 480), (125, 130))  # the system escalated after the deadlines passed
RESOLVED_AGES = _spans((24, 336), (4, 96))
CLOSED_AGES = _spans((72, 1440), (12, 144))
# Reopened and handed-over cases keep their first deadlines: some are still within them.
REOPENED_AGES = _fresh_or_overdue((48, 70), (96, 400), 0.5)
HANDED_AFTER_SWEEP_AGES = _fresh_or_overdue((40, 70), (40, 70), 0.0)


@dataclass(frozen=True)
class Scenario(Generic[StoryT]):
    """Where a demo case ends, the service calls that take it there, its age, how often it is."""

    expected_state: str
    steps: Callable[[StoryT], list[Step]]
    ages: Ages
    weight: int


SCENARIOS: dict[str, Scenario[Story]] = {
    "new_unassigned": Scenario(State.NEW, _new_unassigned, NEW_AGES, 3),
    "new_claimed": Scenario(State.NEW, _new_claimed, NEW_AGES, 1),
    "acknowledged": Scenario(State.ACKNOWLEDGED, _acknowledged, OPEN_AGES, 2),
    "calmed": Scenario(State.CALMED, _calmed, OPEN_AGES, 2),
    "understood": Scenario(State.UNDERSTOOD, _understood, OPEN_AGES, 2),
    "understood_after_reject": Scenario(State.UNDERSTOOD, _understood_after_reject, OPEN_AGES, 1),
    "proposed": Scenario(State.PROPOSED, _proposed, OPEN_AGES, 2),
    "proposed_after_reject": Scenario(State.PROPOSED, _proposed_after_reject, OPEN_AGES, 1),
    "resolved": Scenario(State.RESOLVED, _resolved, RESOLVED_AGES, 3),
    "closed": Scenario(State.CLOSED, _closed, CLOSED_AGES, 5),
    "withdrawn": Scenario(State.CLOSED, _withdrawn, CLOSED_AGES, 2),
    "escalated_by_agent": Scenario(State.ESCALATED, _escalated_by_agent, ESCALATED_AGES, 2),
    "escalated_by_system": Scenario(State.ESCALATED, _escalated_by_system, LATE_AGES, 1),
    "supervisor_resolves_escalation": Scenario(
        State.CLOSED, _supervisor_resolves_escalation, CLOSED_AGES, 1),
    "handed_over": Scenario(State.UNDERSTOOD, _handed_over, OPEN_AGES, 1),
    "handed_over_after_escalation_closed": Scenario(
        State.CLOSED, _handed_over_after_escalation_closed, CLOSED_AGES, 1),
    "handed_over_after_rejection_resolved": Scenario(
        State.RESOLVED, _handed_over_after_rejection_resolved, RESOLVED_AGES, 1),
    "unanswered_escalation_handed_over": Scenario(
        State.CALMED, _unanswered_escalation_handed_over, HANDED_AFTER_SWEEP_AGES, 1),
    "reopened": Scenario(State.ACKNOWLEDGED, _reopened, REOPENED_AGES, 1),
    "reopened_and_proposed_again": Scenario(
        State.PROPOSED, _reopened_and_proposed_again, REOPENED_AGES, 1),
}


def _schedule() -> list[str]:
    """Every scenario by its weight, in a fixed shuffled order: any 34 cases in a row cover all."""
    slots = [name for name, scenario in SCENARIOS.items() for _ in range(scenario.weight)]
    random.Random(SEED).shuffle(slots)
    return slots


SCHEDULE = _schedule()


def _offsets(rng: random.Random, count: int, duration: timedelta) -> list[timedelta]:
    """When each step happened after the opening: a first reply that is usually quick, the rest
    spread over the case's duration (the last step ends it)."""
    if count == 0:
        return []
    delay = HOUR * rng.choices(
        (rng.uniform(0.03, 3), rng.uniform(3, 20), rng.uniform(24, 40)), weights=(70, 25, 5)
    )[0]
    first = min(delay, duration * 0.5) if count > 1 else min(delay, duration)
    weights = [rng.uniform(0.4, 1.6) for _ in range(count - 1)]
    total = sum(weights) or 1.0
    offsets, done = [first], 0.0
    for weight in weights:
        done += weight
        offsets.append(first + (duration - first) * (done / total))
    return offsets


def plan_case(number: int, now: datetime) -> CasePlan:
    """The demo case with this number (1, 2, ...): the same plan for the same number and `now`."""
    name = SCHEDULE[(number - 1) % len(SCHEDULE)]
    scenario = SCENARIOS[name]
    kind = kind_of(number)
    timing = random.Random(f"{SEED}-{number}-time")
    age_hours, duration_hours = scenario.ages(timing)
    age = timedelta(hours=age_hours)
    duration = min(timedelta(hours=duration_hours), age - timedelta(minutes=1))
    story = Story(number, kind, opened=now - age)
    payload = story.payload()
    steps = scenario.steps(story)
    return CasePlan(
        number=number, kind=kind, scenario=name, expected_state=scenario.expected_state,
        payload=payload, steps=steps, age=age, offsets=_offsets(timing, len(steps), duration),
    )


