"""What each kind needs when listening, the remedies it allows and the money they move."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cases import services
from cases.models import Case, Evidence, Kind
from config.service_errors import InvalidInput
from tests.cases.workflow_table import (
    S,
    case_in,
    fails,
    transition_url,
)
from tests.factories import (
    case_payload,
    step,
    walk,
)
from tests.snapshots import snapshot

# --- what each kind needs when listening -----------------------------------------------------------


def test_listening_to_a_non_delivery_case_needs_the_tracking_status(api, shop, agent):
    case = case_in(S.CALMED, shop, agent, kind=Kind.NON_DELIVERY)
    before = snapshot()

    response = api(agent).post(transition_url(case, "listen"),
                               {"core_problem": "The parcel never came."}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "tracking_status": ["Check the carrier's tracking first and say what it shows."]}
    assert snapshot() == before


def test_a_tracking_status_outside_the_fixed_list_is_refused(api, shop, agent):
    case = case_in(S.CALMED, shop, agent, kind=Kind.NON_DELIVERY)
    before = snapshot()

    response = api(agent).post(transition_url(case, "listen"),
                               {"core_problem": "The parcel never came.", "tracking_status": "stolen"},
                               format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["tracking_status"]
    assert snapshot() == before


@pytest.mark.parametrize("status", ["in_transit", "lost", "delivered_not_received",
                                    "returned_to_sender", "no_tracking"])
def test_listening_to_a_non_delivery_case_records_the_tracking_status(shop, agent, status):
    case = case_in(S.CALMED, shop, agent, kind=Kind.NON_DELIVERY)

    case = step(case, "listen", agent, tracking_status=status)

    case.refresh_from_db()
    assert (case.state, case.tracking_status) == (S.UNDERSTOOD, status)


@pytest.mark.parametrize("evidence", [
    pytest.param(None, id="no-evidence"),
    pytest.param([], id="an-empty-list"),
    pytest.param([{}], id="an-empty-item"),
    pytest.param([{"photo": "", "description": "  "}], id="blank-fields"),
    pytest.param("IMG_1.jpg", id="not-a-list"),
])
def test_listening_to_a_not_as_described_case_needs_the_buyers_evidence(api, shop, agent, evidence):
    case = case_in(S.CALMED, shop, agent, kind=Kind.NOT_AS_DESCRIBED)
    before = snapshot()
    data: dict[str, Any] = {"core_problem": "The colour is not the one in the listing."}
    if evidence is not None:
        data["evidence"] = evidence

    response = api(agent).post(transition_url(case, "listen"), data, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["evidence"]
    assert snapshot() == before


def test_the_buyers_evidence_is_stored_with_the_case(api, shop, agent):
    case = case_in(S.CALMED, shop, agent, kind=Kind.NOT_AS_DESCRIBED)

    response = api(agent).post(transition_url(case, "listen"), {
        "core_problem": "The colour is not the one in the listing.",
        "evidence": [{"photo": "IMG_2031.jpg"}, {"description": "Red, not the blue in the listing."}],
    }, format="json")

    assert response.status_code == 200
    rows = list(Evidence.objects.filter(case=case).order_by("id")
                .values_list("photo", "description", "added_by"))
    assert rows == [("IMG_2031.jpg", "", agent.pk), ("", "Red, not the blue in the listing.", agent.pk)]
    assert [e["photo"] for e in response.json()["evidence"]] == ["IMG_2031.jpg", ""]


# --- remedies by kind, and the money -------------------------------------------------------------------

REMEDIES = ["full_refund", "partial_refund", "reship", "exchange", "return_and_refund"]
ALLOWED_REMEDIES = {
    Kind.REFUND: {"full_refund", "partial_refund"},
    Kind.NON_DELIVERY: {"reship", "full_refund"},
    Kind.NOT_AS_DESCRIBED: {"exchange", "return_and_refund", "partial_refund"},
}
# The amount recorded for a remedy sent without one (the order's paid amount is 128.00).
AMOUNT_WHEN_OMITTED = {"full_refund": Decimal("128.00"), "return_and_refund": Decimal("128.00"),
                       "reship": None, "exchange": None}


@pytest.mark.parametrize("kind", list(ALLOWED_REMEDIES))
@pytest.mark.parametrize("remedy", REMEDIES)
def test_each_kind_offers_its_own_remedies(shop, agent, kind, remedy):
    case = case_in(S.UNDERSTOOD, shop, agent, kind=kind)
    data = {"remedy": remedy, "amount": "20.00" if remedy == "partial_refund" else None}

    if remedy in ALLOWED_REMEDIES[kind]:
        case = step(case, "propose", agent, **data)
        case.refresh_from_db()
        assert (case.state, case.chosen_remedy) == (S.PROPOSED, remedy)
        assert case.remedy_amount == AMOUNT_WHEN_OMITTED.get(remedy, Decimal("20.00"))
    else:
        error = fails(InvalidInput, case, "propose", agent, **data)
        assert list(error.errors) == ["remedy"]
        assert Case.objects.get(pk=case.pk).state == S.UNDERSTOOD


@pytest.mark.parametrize(("remedy", "amount", "problem"), [
    ("full_refund", "100.00", "A full refund is exactly the paid amount (128.00)"),
    ("full_refund", "128.01", "A refund can never exceed what was paid (128.00)."),
    ("partial_refund", None, "Say how much to refund."),
    ("partial_refund", "128.01", "A refund can never exceed what was paid (128.00)."),
    ("partial_refund", "0", "The amount must be above zero."),
    ("partial_refund", "0.00", "The amount must be above zero."),
    ("partial_refund", "-5.00", "The amount must be above zero."),
    ("partial_refund", "99999999.99", "A refund can never exceed what was paid (128.00)."),
])
def test_a_refund_never_exceeds_the_paid_amount_nor_falls_to_zero(
    api, shop, agent, remedy, amount, problem
):
    case = case_in(S.UNDERSTOOD, shop, agent)
    before = snapshot()
    data = {"remedy": remedy} if amount is None else {"remedy": remedy, "amount": amount}

    response = api(agent).post(transition_url(case, "propose"), data, format="json")

    assert response.status_code == 400
    assert problem in response.json()["errors"]["amount"][0]
    assert snapshot() == before


def test_a_full_refund_is_the_paid_amount_when_none_is_given(shop, agent):
    case = case_in(S.UNDERSTOOD, shop, agent)

    case = step(case, "propose", agent, remedy="full_refund", amount=None)

    assert Case.objects.get(pk=case.pk).remedy_amount == Decimal("128.00")
    assert case.timeline.order_by("at", "id").last().data == {"remedy": "full_refund",
                                                              "amount": "128.00"}


def test_a_partial_refund_may_be_up_to_the_paid_amount(shop, agent):
    case = case_in(S.UNDERSTOOD, shop, agent)

    step(case, "propose", agent, remedy="partial_refund", amount="128.00")

    assert Case.objects.get(pk=case.pk).remedy_amount == Decimal("128.00")


@pytest.mark.parametrize(("kind", "remedy"), [(Kind.NON_DELIVERY, "reship"),
                                              (Kind.NOT_AS_DESCRIBED, "exchange")])
def test_no_amount_goes_with_a_reship_or_an_exchange(shop, agent, kind, remedy):
    case = case_in(S.UNDERSTOOD, shop, agent, kind=kind)

    error = fails(InvalidInput, case, "propose", agent, remedy=remedy, amount="10.00")

    assert error.errors == {"amount": ["No money moves with this remedy."]}
    assert Case.objects.get(pk=case.pk).state == S.UNDERSTOOD


def test_a_refund_on_a_case_without_an_order_is_refused(shop, agent):
    payload = case_payload(shop, Kind.NOT_AS_DESCRIBED)
    del payload["order"], payload["claimed_amount"]
    case, _created = services.open_case(by=agent, data=payload)
    case = walk(case, agent, "acknowledge", "calm", "listen")

    error = fails(InvalidInput, case, "propose", agent, remedy="return_and_refund")

    assert list(error.errors) == ["remedy"]
