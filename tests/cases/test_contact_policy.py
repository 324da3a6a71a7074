"""Follow-up without harassment (seed 003 §6.1.3): do-not-contact, the contact limit and quiet
hours, for every case kind; the clock is set with time_machine, quiet hours explicitly."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import services
from cases.models import Case, Contact, Customer, Kind, Shop, TimelineEvent
from config.service_errors import Conflict
from reviews.models import Review
from tests.factories import open_case, step, walk
from tests.reviews.factories import TO_REMEDIED, open_review_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")

CALL = {"channel": "call", "direction": "outbound", "outcome": "no_answer"}
MESSAGE = {"channel": "chat", "direction": "outbound", "body": "您好，想回访一下您的使用情况。"}
INBOUND = {"channel": "chat", "direction": "inbound", "body": "你们怎么还不处理？"}


def at(tz: ZoneInfo, *args: int) -> Any:
    return time_machine.travel(datetime(*args, tzinfo=tz), tick=False)


def with_quiet_hours(shop: Shop, tz: str = "Asia/Shanghai") -> Shop:
    shop.time_zone = tz
    shop.quiet_hours_start, shop.quiet_hours_end = time(22, 0), time(8, 0)
    shop.save()
    return shop


def contact(case: Case, by: Any, data: dict[str, Any]) -> Any:
    return services.log_contact(case_id=case.pk, by=by, data=data)


def refused(case: Case, by: Any, data: dict[str, Any]) -> str:
    """Log an outbound contact that must be refused: nothing is written; returns the code."""
    before = (Contact.objects.count(), TimelineEvent.objects.count(),
              Case.objects.values_list("state", "updated_at").get(pk=case.pk))
    with pytest.raises(Conflict) as refusal:
        contact(case, by, data)
    assert (Contact.objects.count(), TimelineEvent.objects.count(),
            Case.objects.values_list("state", "updated_at").get(pk=case.pk)) == before
    assert refusal.value.extra["state"] == Case.objects.get(pk=case.pk).state
    return refusal.value.extra["code"]


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


# --- quiet hours --------------------------------------------------------------------------------

@pytest.mark.parametrize(("clock", "allowed"), [
    ((21, 59), True), ((22, 0), False), ((23, 30), False), ((0, 0), False), ((3, 0), False),
    ((7, 59), False), ((8, 0), True), ((12, 0), True),
])
def test_quiet_hours_in_shanghai_run_from_22_00_to_08_00(shop, agent, clock, allowed):
    with_quiet_hours(shop, "Asia/Shanghai")
    case = open_case(shop, by=agent)

    with at(SHANGHAI, 2026, 6, 15, *clock):
        if allowed:
            contact(case, agent, CALL)
        else:
            assert refused(case, agent, CALL) == "quiet_hours"
            assert refused(case, agent, MESSAGE) == "quiet_hours"

    assert Contact.objects.count() == (1 if allowed else 0)


def test_quiet_hours_are_in_the_shops_time_zone_not_the_servers(shop, agent):
    with_quiet_hours(shop, "Asia/Shanghai")
    case = open_case(shop, by=agent)

    with at(UTC, 2026, 6, 15, 13, 59):  # 21:59 in Shanghai
        contact(case, agent, CALL)
    with at(UTC, 2026, 6, 15, 14, 0):  # 22:00 in Shanghai
        assert refused(case, agent, CALL) == "quiet_hours"
    with at(UTC, 2026, 6, 15, 23, 59):  # 07:59 next morning in Shanghai
        assert refused(case, agent, CALL) == "quiet_hours"
    with at(UTC, 2026, 6, 16, 0, 0):  # 08:00 in Shanghai
        contact(case, agent, CALL)


def test_the_same_instant_is_quiet_in_one_shop_and_not_in_another(shop, other_shop, agent,
                                                                   outsider):
    with_quiet_hours(shop, "Asia/Shanghai")
    with_quiet_hours(other_shop, "Europe/Berlin")
    ours = open_case(shop, by=agent)
    theirs = open_case(other_shop, by=outsider)

    with at(UTC, 2026, 6, 15, 15, 0):  # 23:00 in Shanghai, 17:00 in Berlin (CEST)
        assert refused(ours, agent, CALL) == "quiet_hours"
        contact(theirs, outsider, CALL)


@pytest.mark.parametrize(("moment", "allowed"), [
    # Berlin springs forward on 29 March 2026 (02:00 CET → 03:00 CEST).
    (datetime(2026, 3, 28, 20, 59, tzinfo=UTC), True),   # 21:59 CET, the evening before
    (datetime(2026, 3, 28, 21, 0, tzinfo=UTC), False),   # 22:00 CET
    (datetime(2026, 3, 29, 5, 59, tzinfo=UTC), False),   # 07:59 CEST, the morning after
    (datetime(2026, 3, 29, 6, 0, tzinfo=UTC), True),     # 08:00 CEST: an hour earlier in UTC
    (datetime(2026, 3, 29, 19, 59, tzinfo=UTC), True),   # 21:59 CEST
    (datetime(2026, 3, 29, 20, 0, tzinfo=UTC), False),   # 22:00 CEST
    (datetime(2026, 3, 29, 20, 30, tzinfo=UTC), False),  # the same UTC clock was 21:30 the day before
    (datetime(2026, 3, 28, 20, 30, tzinfo=UTC), True),
    # and falls back on 25 October 2026 (03:00 CEST → 02:00 CET).
    (datetime(2026, 10, 25, 6, 59, tzinfo=UTC), False),  # 07:59 CET
    (datetime(2026, 10, 25, 7, 0, tzinfo=UTC), True),    # 08:00 CET
    (datetime(2026, 10, 24, 5, 59, tzinfo=UTC), False),  # 07:59 CEST, the morning before
    (datetime(2026, 10, 24, 6, 0, tzinfo=UTC), True),    # 08:00 CEST
    (datetime(2026, 10, 25, 20, 59, tzinfo=UTC), True),  # 21:59 CET
    (datetime(2026, 10, 25, 21, 0, tzinfo=UTC), False),  # 22:00 CET
])
def test_quiet_hours_in_berlin_follow_the_daylight_saving_switch(shop, agent, moment, allowed):
    with_quiet_hours(shop, "Europe/Berlin")
    case = open_case(shop, by=agent)

    with time_machine.travel(moment, tick=False):
        if allowed:
            contact(case, agent, MESSAGE)
        else:
            assert refused(case, agent, MESSAGE) == "quiet_hours"

    assert Contact.objects.count() == (1 if allowed else 0)


@pytest.mark.parametrize(("local", "allowed"), [
    # New York falls back on 1 November 2026; local wall-clock times around the switch.
    (datetime(2026, 10, 31, 21, 59), True), (datetime(2026, 10, 31, 22, 0), False),
    (datetime(2026, 11, 1, 1, 30), False), (datetime(2026, 11, 1, 7, 59), False),
    (datetime(2026, 11, 1, 8, 0), True), (datetime(2026, 11, 1, 21, 59), True),
    (datetime(2026, 11, 1, 22, 0), False),
])
def test_quiet_hours_in_new_york_follow_the_wall_clock_across_the_switch(shop, agent, local,
                                                                         allowed):
    with_quiet_hours(shop, "America/New_York")
    case = open_case(shop, by=agent)

    with time_machine.travel(local.replace(tzinfo=NEW_YORK), tick=False):
        if allowed:
            contact(case, agent, CALL)
        else:
            assert refused(case, agent, CALL) == "quiet_hours"


def test_the_refusal_names_the_shop_time_and_the_quiet_hours(api, shop, agent):
    with_quiet_hours(shop, "Asia/Shanghai")
    case = open_case(shop, by=agent)

    with at(SHANGHAI, 2026, 6, 15, 23, 15):
        response = api(agent).post(f"/api/v1/cases/{case.pk}/contacts/", CALL, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "quiet_hours"
    assert "23:15" in response.json()["detail"] and "22:00" in response.json()["detail"]
    assert Contact.objects.count() == 0


def test_the_buyers_own_quiet_hours_replace_the_shops(shop, agent):
    with_quiet_hours(shop, "Asia/Shanghai")
    case = open_case(shop, by=agent)
    Customer.objects.filter(pk=case.customer_id).update(quiet_hours_start=time(12, 0),
                                                        quiet_hours_end=time(14, 0))

    with at(SHANGHAI, 2026, 6, 15, 12, 30):
        assert refused(case, agent, CALL) == "quiet_hours"
    with at(SHANGHAI, 2026, 6, 15, 23, 0):
        contact(case, agent, CALL)  # the shop's night is not the buyer's quiet time
    with at(SHANGHAI, 2026, 6, 15, 14, 0):
        contact(case, agent, CALL)


def test_a_shop_without_quiet_hours_may_call_at_any_time(shop, agent):
    shop.quiet_hours_start = shop.quiet_hours_end = time(0, 0)
    shop.time_zone = "Asia/Shanghai"
    shop.save()
    case = open_case(shop, by=agent)

    with at(SHANGHAI, 2026, 6, 15, 3, 0):
        contact(case, agent, CALL)


def test_a_new_shop_has_quiet_hours_from_22_00_to_08_00_by_default(db):
    shop = Shop.objects.create(code="fresh", name="Fresh shop")

    assert (shop.quiet_hours_start, shop.quiet_hours_end) == (time(22, 0), time(8, 0))
    assert (shop.max_outbound_attempts, shop.attempt_window_days) == (3, 7)


def test_inbound_contacts_are_logged_inside_quiet_hours_and_over_the_limit(shop, agent):
    with_quiet_hours(shop, "Asia/Shanghai")
    case = open_case(shop, by=agent)
    for _ in range(3):
        with at(SHANGHAI, 2026, 6, 15, 10, 0):
            contact(case, agent, CALL)
    Customer.objects.filter(pk=case.customer_id).update(do_not_contact=True)

    with at(SHANGHAI, 2026, 6, 15, 23, 30):
        contact(case, agent, INBOUND)
        contact(case, agent, {"channel": "call", "direction": "inbound", "outcome": "reached"})

    assert Contact.objects.filter(direction="inbound").count() == 2


def test_do_not_contact_is_checked_before_the_limit_and_quiet_hours(shop, agent):
    with_quiet_hours(shop, "Asia/Shanghai")
    case = open_case(shop, by=agent)
    with at(SHANGHAI, 2026, 6, 15, 10, 0):
        for _ in range(3):
            contact(case, agent, CALL)
    Customer.objects.filter(pk=case.customer_id).update(do_not_contact=True)

    with at(SHANGHAI, 2026, 6, 15, 23, 0):
        assert refused(case, agent, CALL) == "do_not_contact"


# --- the revision request is an outbound message ------------------------------------------------

def test_a_revision_request_is_refused_inside_quiet_hours(shop, agent):
    with_quiet_hours(shop, "Asia/Shanghai")
    with at(SHANGHAI, 2026, 6, 15, 10, 0):
        case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)
    before = (Contact.objects.count(), TimelineEvent.objects.count())

    with at(SHANGHAI, 2026, 6, 15, 22, 0), pytest.raises(Conflict):
        step(case, "request_revision", agent)

    assert (Contact.objects.count(), TimelineEvent.objects.count()) == before
    assert Case.objects.get(pk=case.pk).state == "remedied"
    assert Review.objects.get(case=case).revision_requested_at is None
    with at(SHANGHAI, 2026, 6, 16, 8, 0):
        step(case, "request_revision", agent)
    assert Case.objects.get(pk=case.pk).state == "revision_requested"


def test_a_revision_request_counts_against_and_obeys_the_contact_limit(shop, agent):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)  # one reached call
    contact(case, agent, CALL)
    contact(case, agent, CALL)

    with pytest.raises(Conflict):
        step(case, "request_revision", agent)

    assert Case.objects.get(pk=case.pk).state == "remedied"
    assert Contact.objects.count() == 3


def test_a_revision_request_is_the_attempt_that_uses_up_the_limit(shop, agent):
    case = walk(open_review_case(shop, agent), agent, *TO_REMEDIED)
    contact(case, agent, CALL)

    step(case, "request_revision", agent)

    assert refused(case, agent, MESSAGE) == "contact_limit"


# --- disputes follow the same rules -------------------------------------------------------------

@pytest.mark.parametrize("kind", [Kind.REFUND, Kind.NON_DELIVERY, Kind.NOT_AS_DESCRIBED])
def test_every_dispute_kind_obeys_quiet_hours_and_the_limit(shop, agent, kind):
    with_quiet_hours(shop, "Asia/Shanghai")
    with at(SHANGHAI, 2026, 6, 15, 10, 0):
        case = walk(open_case(shop, by=agent, kind=kind), agent, "acknowledge")
        for _ in range(3):
            contact(case, agent, CALL)
        assert refused(case, agent, CALL) == "contact_limit"
    with at(SHANGHAI, 2026, 6, 22, 22, 30):
        assert refused(case, agent, CALL) == "quiet_hours"
    with at(SHANGHAI, 2026, 6, 23, 9, 0):
        contact(case, agent, CALL)
