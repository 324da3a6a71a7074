"""The negative-review workflow (中差评), its first steps: the buyer reached before calming, the core
problem and the cause heard. Through the real services."""

from __future__ import annotations

import pytest

from cases import services
from cases.models import Case
from config.service_errors import Conflict, InvalidInput
from reviews.models import Review
from tests.factories import log, reach, step, walk
from tests.reviews.factories import open_review_case
from tests.reviews.review_scene import state_of, written


def test_a_new_review_case_cannot_be_calmed_before_the_buyer_is_reached(shop, agent):
    case = open_review_case(shop, agent)
    before = written(case)

    with pytest.raises(Conflict) as refused:
        step(case, "calm", agent)

    assert "Reach the buyer first" in str(refused.value.message)
    assert written(case) == before


def test_a_call_nobody_answered_does_not_count_as_reaching_the_buyer(shop, agent):
    case = open_review_case(shop, agent)
    log(case, agent, outcome="no_answer")
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "calm", agent)

    assert written(case) == before


def test_once_the_buyer_is_reached_the_case_is_calmed(shop, agent):
    case = open_review_case(shop, agent)
    reach(case, agent)

    case = step(case, "calm", agent)

    assert case.state == state_of(case) == "calmed"
    assert case.calmed_at is not None


def test_listening_records_the_core_problem_and_the_cause_on_the_review(shop, agent):
    case = walk(open_review_case(shop, agent), agent, "calm")

    case = step(case, "listen", agent, core_problem="The lid does not fit.", cause="quality")

    assert state_of(case) == "understood"
    assert Case.objects.get(pk=case.pk).core_problem == "The lid does not fit."
    assert Review.objects.get(case=case).cause == "quality"


@pytest.mark.parametrize(("data", "field"), [
    ({"core_problem": "", "cause": "quality"}, "core_problem"),
    ({"core_problem": "Cracked.", "cause": "weather"}, "cause"),
    ({"core_problem": "Cracked."}, "cause"),
])
def test_listening_needs_a_core_problem_and_a_known_cause(shop, agent, data, field):
    case = walk(open_review_case(shop, agent), agent, "calm")
    before = written(case)

    with pytest.raises(InvalidInput) as refused:
        services.run_transition(case_id=case.pk, name="listen", by=agent, data=data)

    assert field in refused.value.errors
    assert written(case) == before


@pytest.mark.parametrize("cause", ["quality", "logistics", "description_mismatch",
                                   "service_attitude", "price", "other"])
def test_every_cause_of_the_issue_is_accepted(shop, agent, cause):
    case = walk(open_review_case(shop, agent), agent, "calm")

    step(case, "listen", agent, cause=cause)

    assert Review.objects.get(case=case).cause == cause
