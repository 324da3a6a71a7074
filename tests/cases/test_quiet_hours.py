"""Follow-up without harassment: quiet hours, the shop's and the buyer's own, in the shop's time
zone (set with time_machine)."""

from __future__ import annotations

from datetime import datetime, time

import pytest
import time_machine

from cases.models import Contact, Customer, Shop
from tests.cases.contact_rules import (
    CALL,
    INBOUND,
    MESSAGE,
    NEW_YORK,
    SHANGHAI,
    UTC,
    at,
    contact,
    refused,
    with_quiet_hours,
)
from tests.factories import open_case

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
