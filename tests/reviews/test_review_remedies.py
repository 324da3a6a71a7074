"""The negative-review workflow (中差评): each remedy with its amount, never more money than was paid,
never before calm and listen (an escalated case too). Through the real services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cases import services
from cases.models import Case
from config.service_errors import Conflict, InvalidInput
from tests.factories import reach, step, walk
from tests.reviews.factories import open_review_case
from tests.reviews.review_scene import state_of, written


@pytest.mark.parametrize(("remedy", "amount"), [
    ("partial_refund", "30.00"), ("partial_refund", "128.00"), ("reship", None),
    ("exchange", None), ("coupon", "10.00"), ("coupon", None), ("apology_only", None),
])
def test_each_remedy_is_recorded_with_its_amount(shop, agent, remedy, amount):
    case = walk(open_review_case(shop, agent), agent, "calm", "listen")

    step(case, "remedy", agent, remedy=remedy, amount=amount)

    row = Case.objects.get(pk=case.pk)
    assert (row.state, row.chosen_remedy) == ("remedied", remedy)
    assert row.remedy_amount == (None if amount is None else Decimal(amount))


@pytest.mark.parametrize(("data", "field"), [
    ({"remedy": "partial_refund", "amount": "128.01"}, "amount"),  # above what was paid
    ({"remedy": "partial_refund"}, "amount"),  # how much?
    ({"remedy": "partial_refund", "amount": "0"}, "amount"),
    ({"remedy": "partial_refund", "amount": "-5.00"}, "amount"),
    ({"remedy": "coupon", "amount": "500.00"}, "amount"),
    ({"remedy": "reship", "amount": "10.00"}, "amount"),  # no money moves
    ({"remedy": "apology_only", "amount": "1.00"}, "amount"),
    ({"remedy": "full_refund"}, "remedy"),  # not a review remedy
    ({"remedy": "return_and_refund"}, "remedy"),
])
def test_a_remedy_never_moves_more_money_than_was_paid_nor_money_where_none_moves(
    shop, agent, data, field
):
    case = walk(open_review_case(shop, agent), agent, "calm", "listen")
    before = written(case)

    with pytest.raises(InvalidInput) as refused:
        services.run_transition(case_id=case.pk, name="remedy", by=agent, data=data)

    assert field in refused.value.errors
    assert written(case) == before


def test_a_remedy_cannot_skip_calm_and_listen(shop, agent):
    case = open_review_case(shop, agent)
    reach(case, agent)
    before = written(case)

    with pytest.raises(Conflict):
        step(case, "remedy", agent)

    assert written(case) == before


def test_an_escalated_case_is_remedied_when_calm_and_the_core_problem_are_on_record(
    shop, agent, supervisor
):
    case = walk(open_review_case(shop, agent), agent, "calm", "listen", "escalate")

    step(case, "remedy", supervisor)

    assert state_of(case) == "remedied"


def test_an_escalated_case_without_calm_and_core_problem_cannot_be_remedied(
    shop, agent, supervisor
):
    case = walk(open_review_case(shop, agent), agent, "escalate")
    reach(case, agent)
    before = written(case)

    with pytest.raises(Conflict) as refused:
        step(case, "remedy", supervisor)

    assert "calm" in str(refused.value.message).lower()
    assert written(case) == before
