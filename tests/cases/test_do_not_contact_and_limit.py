"""Follow-up without harassment: a buyer who asked not to be contacted, and the contact limit."""

from __future__ import annotations

from cases.models import Contact, Customer, Kind
from tests.cases.contact_rules import (
    CALL,
    INBOUND,
    MESSAGE,
    SHANGHAI,
    at,
    contact,
    refused,
)
from tests.factories import open_case
from tests.reviews.factories import open_review_case

# --- do not contact -----------------------------------------------------------------------------

def test_a_buyer_who_asked_not_to_be_contacted_is_never_called_again(shop, agent):
    case = open_case(shop, by=agent)
    contact(case, agent, {"channel": "call", "direction": "outbound", "outcome": "do_not_contact"})

    assert refused(case, agent, CALL) == "do_not_contact"
    assert refused(case, agent, MESSAGE) == "do_not_contact"


def test_do_not_contact_holds_for_every_case_of_the_buyer_and_every_kind(shop, agent):
    first = open_case(shop, by=agent, customer={"handle": "quiet_buyer"})
    review = open_review_case(shop, agent, customer="quiet_buyer")
    other = open_case(shop, by=agent, kind=Kind.NON_DELIVERY, customer={"handle": "quiet_buyer"})
    contact(first, agent, {**INBOUND, "outcome": "do_not_contact", "body": "别再联系我。"})

    assert refused(review, agent, CALL) == "do_not_contact"
    assert refused(other, agent, MESSAGE) == "do_not_contact"


def test_the_buyer_may_still_write_to_the_shop_after_asking_not_to_be_contacted(shop, agent):
    case = open_case(shop, by=agent)
    Customer.objects.filter(pk=case.customer_id).update(do_not_contact=True)

    logged = contact(case, agent, INBOUND)

    assert logged.contact.direction == "inbound"
    assert Contact.objects.count() == 1


# --- the contact limit --------------------------------------------------------------------------

def test_the_third_attempt_is_allowed_after_two(shop, agent):
    case = open_case(shop, by=agent)
    contact(case, agent, CALL)
    contact(case, agent, MESSAGE)

    contact(case, agent, CALL)

    assert Contact.objects.filter(direction="outbound").count() == 3


def test_the_fourth_attempt_in_seven_days_is_refused(shop, agent):
    case = open_case(shop, by=agent)
    for data in (CALL, MESSAGE, CALL):
        contact(case, agent, data)

    assert refused(case, agent, CALL) == "contact_limit"
    assert refused(case, agent, MESSAGE) == "contact_limit"


def test_the_limit_counts_attempts_over_all_the_buyers_cases(shop, agent, teammate):
    refund = open_case(shop, by=agent, customer={"handle": "busy_buyer"})
    review = open_review_case(shop, teammate, customer="busy_buyer")
    other_buyer = open_case(shop, by=agent, customer={"handle": "someone_else"})
    contact(refund, agent, CALL)
    contact(review, teammate, CALL)
    contact(refund, agent, MESSAGE)

    assert refused(review, teammate, CALL) == "contact_limit"
    contact(other_buyer, agent, CALL)  # another buyer's attempts are their own


def test_reached_calls_count_as_attempts_too(shop, agent):
    case = open_case(shop, by=agent)
    for _ in range(3):
        contact(case, agent, {**CALL, "outcome": "reached"})

    assert refused(case, agent, CALL) == "contact_limit"


def test_messages_from_the_buyer_do_not_count_and_are_never_refused(shop, agent):
    case = open_case(shop, by=agent)
    for data in (CALL, CALL, INBOUND, INBOUND):
        contact(case, agent, data)
    contact(case, agent, CALL)
    assert refused(case, agent, CALL) == "contact_limit"

    contact(case, agent, INBOUND)

    assert Contact.objects.filter(direction="inbound").count() == 3


def test_an_attempt_counts_until_exactly_seven_days_have_passed(shop, agent):
    with at(SHANGHAI, 2026, 3, 2, 10, 0):
        case = open_case(shop, by=agent)
        for _ in range(3):
            contact(case, agent, CALL)

    with at(SHANGHAI, 2026, 3, 9, 9, 59):
        assert refused(case, agent, CALL) == "contact_limit"
    with at(SHANGHAI, 2026, 3, 9, 10, 0):
        contact(case, agent, CALL)  # seven days on, the first three are out of the window

    assert Contact.objects.count() == 4


def test_the_window_slides_one_attempt_at_a_time(shop, agent):
    with at(SHANGHAI, 2026, 3, 2, 10, 0):
        case = open_case(shop, by=agent)
        contact(case, agent, CALL)
    with at(SHANGHAI, 2026, 3, 4, 10, 0):
        contact(case, agent, CALL)
        contact(case, agent, CALL)

    with at(SHANGHAI, 2026, 3, 9, 10, 0):
        contact(case, agent, CALL)  # the one of 3 March dropped out
        assert refused(case, agent, CALL) == "contact_limit"
    with at(SHANGHAI, 2026, 3, 11, 10, 0):
        contact(case, agent, CALL)  # those of 4 March too


def test_the_limit_and_the_window_are_the_shops_settings(shop, agent):
    shop.max_outbound_attempts, shop.attempt_window_days = 5, 2
    shop.save()
    with at(SHANGHAI, 2026, 3, 2, 10, 0):
        case = open_case(shop, by=agent)
        for _ in range(5):
            contact(case, agent, CALL)
        assert refused(case, agent, CALL) == "contact_limit"
    with at(SHANGHAI, 2026, 3, 4, 9, 59):
        assert refused(case, agent, CALL) == "contact_limit"
    with at(SHANGHAI, 2026, 3, 4, 10, 0):
        contact(case, agent, CALL)


def test_a_shop_with_a_limit_of_one_refuses_the_second_attempt(shop, agent):
    shop.max_outbound_attempts = 1
    shop.save()
    case = open_case(shop, by=agent)
    contact(case, agent, CALL)

    assert refused(case, agent, MESSAGE) == "contact_limit"


def test_the_refusal_says_how_many_attempts_over_how_many_days(api, shop, agent):
    case = open_case(shop, by=agent)
    for _ in range(3):
        contact(case, agent, CALL)

    response = api(agent).post(f"/api/v1/cases/{case.pk}/contacts/", CALL, format="json")

    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["state"]) == ("contact_limit", "new")
    assert "3" in body["detail"] and "7" in body["detail"]
    assert Contact.objects.count() == 3
