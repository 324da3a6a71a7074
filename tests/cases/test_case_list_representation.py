"""The case list's rows are written out by hand (CaseListSerializer.to_representation) for speed:
each is the same answer DRF's walk over the declared fields gives."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from cases.api.serializers import CaseListSerializer
from cases.models import Case, Kind
from tests.factories import open_case, walk


def by_the_fields(case: Case) -> dict:
    return serializers.ModelSerializer.to_representation(CaseListSerializer(), case)


def test_a_new_case_with_an_order_a_buyer_and_an_amount_reads_as_the_fields_give_it(shop, agent):
    case = open_case(shop, by=agent, claimed_amount="99.5")

    assert CaseListSerializer(case).data == by_the_fields(case)
    assert CaseListSerializer(case).data["claimed_amount"] == "99.50"


def test_a_bare_case_reads_as_the_fields_give_it(shop):
    # no order, no buyer, no amount, nobody assigned
    case = Case.objects.create(shop=shop, kind=Kind.REFUND)

    assert CaseListSerializer(case).data == by_the_fields(case)


def test_a_threatened_case_far_along_its_workflow_reads_as_the_fields_give_it(shop, agent):
    case = open_case(shop, by=agent, description="再不退款我就去12315投诉，还要找律师起诉你们")
    case = walk(case, agent, "acknowledge", "calm", "listen", "propose")
    case.claimed_amount = Decimal("99999999.99")

    listed = CaseListSerializer(case).data

    assert listed == by_the_fields(case)
    assert listed["flags"] and listed["assignee"] == "agent1"
