"""Where each demo negative-review case ends, how it gets there, and how long ago it happened."""

from __future__ import annotations

import random
from datetime import datetime

from cases.models import Kind, State
from demo.review_stories import ReviewPlan, ReviewStory
from demo.scenarios import BREACH, Scenario
from demo.stories import SEED, SUPERVISOR_USERNAME, Step
from demo.timing import story_times

# --- scenarios -----------------------------------------------------------------------------------


def _new_unassigned(s: ReviewStory) -> list[Step]:
    return []


def _new_claimed(s: ReviewStory) -> list[Step]:
    return [Step("claim", s.agent)]


def _new_call_failed(s: ReviewStory) -> list[Step]:
    """The agent took it and called; nobody answered (calm needs the buyer reached)."""
    return [Step("claim", s.agent), s.no_answer(s.agent)]


def _calmed(s: ReviewStory) -> list[Step]:
    missed = [s.no_answer(s.agent)] if s.rng.random() < 0.3 else []
    return [*missed, s.reached(s.agent), s.calm(s.agent)]


def _understood(s: ReviewStory) -> list[Step]:
    return s.to_understood(s.agent)


def _remedied(s: ReviewStory) -> list[Step]:
    return s.to_remedied(s.agent)


def _revision_requested(s: ReviewStory) -> list[Step]:
    return [*s.to_remedied(s.agent), s.request_revision(s.agent)]


def _revised(s: ReviewStory) -> list[Step]:
    return [*_revision_requested(s), s.mark_revised(s.agent)]


def _closed_revised(s: ReviewStory) -> list[Step]:
    return [*_revised(s), s.close(s.agent)]


def _replied_after_remedy(s: ReviewStory) -> list[Step]:
    return [*s.to_remedied(s.agent), s.reply(s.agent)]


def _replied_without_revision(s: ReviewStory) -> list[Step]:
    """Asked once, the buyer kept the review: the shop answers under it instead."""
    return [*_revision_requested(s), s.reply(s.agent)]


def _closed_replied(s: ReviewStory) -> list[Step]:
    return [*s.rng.choice((_replied_after_remedy, _replied_without_revision))(s), s.close(s.agent)]


def _do_not_contact_replied(s: ReviewStory) -> list[Step]:
    """The buyer asked on the first call not to be contacted: only a public reply is left."""
    a = s.agent
    return [Step("claim", a), s.do_not_contact(a), s.reply(a, unreached="do_not_contact")]


def _do_not_contact_closed(s: ReviewStory) -> list[Step]:
    return [*_do_not_contact_replied(s), s.close(s.agent)]


def _unreachable_replied(s: ReviewStory) -> list[Step]:
    """Three calls without an answer use up the contact limit: the shop replies publicly."""
    a = s.agent
    return [Step("claim", a), s.no_answer(a), s.no_answer(a), s.no_answer(a),
            s.reply(a, unreached="contact_limit")]


def _escalated(s: ReviewStory) -> list[Step]:
    return [*s.to_understood(s.agent), s.escalate(s.agent)]


def _escalated_by_system(s: ReviewStory) -> list[Step]:
    return [BREACH]  # nobody reached out within the day: the system escalated; stays unassigned


def _supervisor_closes_escalation(s: ReviewStory) -> list[Step]:
    sup = SUPERVISOR_USERNAME
    return [*s.to_understood(s.agent), s.escalate(s.agent), s.remedy(sup),
            s.request_revision(sup), s.mark_revised(sup), s.close(sup)]


def _handed_over_and_heard(s: ReviewStory) -> list[Step]:
    """Deadlocked with the first agent: the supervisor gives it to the other, who starts over."""
    a, b = s.agent, s.other
    return [s.reached(a), s.calm(a), s.escalate(a), s.hand_over(b), s.reached(b), s.calm(b),
            s.listen(b)]


REVIEW_SCENARIOS: dict[str, Scenario[ReviewStory]] = {
    "new_unassigned": Scenario(State.NEW, _new_unassigned, 2),
    "new_claimed": Scenario(State.NEW, _new_claimed, 1),
    "new_call_failed": Scenario(State.NEW, _new_call_failed, 2),
    "calmed": Scenario(State.CALMED, _calmed, 2),
    "understood": Scenario(State.UNDERSTOOD, _understood, 2),
    "remedied": Scenario(State.REMEDIED, _remedied, 2),
    "revision_requested": Scenario(State.REVISION_REQUESTED, _revision_requested, 2),
    "revised": Scenario(State.REVISED, _revised, 2),
    "closed_revised": Scenario(State.CLOSED, _closed_revised, 4),
    "replied_after_remedy": Scenario(State.REPLIED, _replied_after_remedy, 1),
    "replied_without_revision": Scenario(State.REPLIED, _replied_without_revision, 1),
    "closed_replied": Scenario(State.CLOSED, _closed_replied, 3),
    "do_not_contact_replied": Scenario(State.REPLIED, _do_not_contact_replied, 1),
    "do_not_contact_closed": Scenario(State.CLOSED, _do_not_contact_closed, 1),
    "unreachable_replied": Scenario(State.REPLIED, _unreachable_replied, 1),
    "escalated": Scenario(State.ESCALATED, _escalated, 2),
    "escalated_by_system": Scenario(State.ESCALATED, _escalated_by_system, 1),
    "supervisor_closes_escalation": Scenario(State.CLOSED, _supervisor_closes_escalation, 1),
    "handed_over_and_heard": Scenario(State.UNDERSTOOD, _handed_over_and_heard, 1),
}


def _schedule() -> list[str]:
    """Every scenario by its weight, in a fixed shuffled order: any full run covers all."""
    slots = [name for name, scenario in REVIEW_SCENARIOS.items() for _ in range(scenario.weight)]
    random.Random(f"{SEED}-reviews").shuffle(slots)
    return slots


REVIEW_SCHEDULE = _schedule()


def plan_review(number: int, now: datetime) -> ReviewPlan:
    """The demo review case with this number (1, 2, ...): the same plan for the same `now`."""
    name = REVIEW_SCHEDULE[(number - 1) % len(REVIEW_SCHEDULE)]
    scenario = REVIEW_SCENARIOS[name]
    draft = ReviewStory(number, opened=now)  # the same steps; only the review's time differs
    draft.payload()
    offsets, age = story_times(scenario.steps(draft), Kind.NEGATIVE_REVIEW,
                               random.Random(f"{SEED}-review-{number}-time"))
    story = ReviewStory(number, opened=now - age)
    payload = story.payload()
    return ReviewPlan(
        number=number, kind=Kind.NEGATIVE_REVIEW, scenario=name,
        expected_state=scenario.expected_state, payload=payload, steps=scenario.steps(story),
        age=age, offsets=offsets,
    )
