"""The two clocks of a case: the marketplace's (rules per platform, business days, appeal window)
and the shop's (paused while waiting for the buyer); the next deadline the queue sorts by."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import services
from cases.calendar import add_business_days, add_period
from cases.models import Case, ShopHoliday
from tests.factories import open_case, walk

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def at(*args: int, tz: ZoneInfo = SHANGHAI) -> datetime:
    return datetime(*args, tzinfo=tz)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


# --- business days -------------------------------------------------------------------------------


def test_three_business_days_from_a_friday_afternoon_end_on_wednesday_afternoon():
    assert add_business_days(at(2026, 11, 27, 15, 0), 3, SHANGHAI) == at(2026, 12, 2, 15, 0)


def test_a_request_on_saturday_starts_counting_on_monday():
    assert add_business_days(at(2026, 11, 28, 10, 0), 3, SHANGHAI) == at(2026, 12, 2, 10, 0)


def test_a_shop_holiday_is_not_a_business_day():
    holidays = {date(2026, 11, 30)}
    assert add_business_days(at(2026, 11, 27, 15, 0), 3, SHANGHAI, holidays) == at(2026, 12, 3, 15, 0)


def test_business_days_keep_the_local_time_across_a_daylight_saving_change():
    # Friday 23 Oct 2026 09:00 in Berlin (summer time) + 3 business days = Wednesday 09:00 (winter)
    due = add_business_days(at(2026, 10, 23, 9, 0, tz=BERLIN), 3, BERLIN)
    assert due == at(2026, 10, 28, 9, 0, tz=BERLIN)
    assert due.utcoffset() == timedelta(hours=1)


def test_hours_and_calendar_days_ignore_weekends():
    start = at(2026, 11, 27, 15, 0)
    assert add_period(start, 36, "hours", SHANGHAI) == at(2026, 11, 29, 3, 0)
    assert add_period(start, 30, "days", SHANGHAI) == at(2026, 12, 27, 15, 0)


def test_an_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="unknown unit"):
        add_period(at(2026, 11, 27, 15, 0), 1, "fortnights", SHANGHAI)


# --- the marketplace's clock ---------------------------------------------------------------------


def test_a_taobao_refund_request_is_granted_by_the_platform_after_24_hours(db, shop, agent):
    shop.platform = "taobao"
    shop.save()
    with time_machine.travel(at(2026, 11, 27, 15, 0), tick=False):
        case = open_case(shop, by=agent)

    assert case.marketplace_due_at == at(2026, 11, 28, 15, 0)
    assert case.marketplace_rule == "refund-unanswered"


def test_a_taobao_parcel_not_received_gives_the_seller_36_hours(db, shop, agent):
    shop.platform = "taobao"
    shop.save()
    with time_machine.travel(at(2026, 11, 27, 15, 0), tick=False):
        case = open_case(shop, by=agent, kind="non_delivery")

    assert case.marketplace_due_at == at(2026, 11, 29, 3, 0)


def test_ebay_counts_three_business_days_skipping_the_weekend_and_the_shops_holidays(db, shop,
                                                                                    agent):
    shop.platform = "ebay"
    shop.save()
    ShopHoliday.objects.create(shop=shop, date=date(2026, 11, 30), name="closed")
    with time_machine.travel(at(2026, 11, 27, 15, 0), tick=False):
        case = open_case(shop, by=agent)

    assert case.marketplace_due_at == at(2026, 12, 3, 15, 0)


def test_amazon_the_earliest_rule_is_the_marketplace_deadline(db, shop, agent):
    shop.platform = "amazon"
    shop.save()
    with time_machine.travel(at(2026, 11, 27, 15, 0), tick=False):
        case = open_case(shop, by=agent)

    assert case.marketplace_due_at == at(2026, 11, 29, 15, 0)
    assert case.marketplace_rule == "a-to-z-claim-possible"


def test_a_shop_without_a_marketplace_has_only_its_own_clock(db, shop, agent):
    case = open_case(shop, by=agent)

    assert case.marketplace_due_at is None
    assert case.next_due_at == case.first_response_due_at


def test_the_sellers_answer_stops_the_marketplace_clock(db, shop, agent):
    shop.platform = "taobao"
    shop.save()
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    assert case.next_due_at == case.resolution_due_at


def test_a_review_revision_window_runs_from_the_reviews_posting(db, shop, agent):
    from tests.reviews.factories import open_review_case

    shop.platform = "taobao"
    shop.save()
    posted = at(2026, 11, 20, 9, 0)
    with time_machine.travel(at(2026, 11, 27, 15, 0), tick=False):
        case = open_review_case(shop, agent, posted_at=posted.isoformat())

    assert case.marketplace_due_at == at(2026, 12, 20, 9, 0)


# --- pausing the shop's clock --------------------------------------------------------------------


def test_waiting_for_the_buyer_pauses_the_shops_clock_and_moves_its_deadlines_by_the_pause(
    db, shop, agent, api
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")
    resolution_due = case.resolution_due_at
    start = case.opened_at

    with time_machine.travel(start + timedelta(hours=2), tick=False):
        response = api(agent).post(f"/api/v1/cases/{case.pk}/pause/",
                                   {"reason": "Waiting for photos of the crack."}, format="json")
        assert response.status_code == 200
        assert response.json()["deadlines"]["clock_paused_since"] is not None
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        response = api(agent).post(f"/api/v1/cases/{case.pk}/resume/")
        assert response.status_code == 200

    case = fresh(case)
    assert case.resolution_due_at == resolution_due + timedelta(hours=3)
    assert case.clock_paused_at is None
    resumed = case.timeline.get(type="clock_resumed")
    assert resumed.data["paused_seconds"] == 3 * 3600
    assert case.timeline.filter(type="clock_paused").count() == 1


def test_the_buyers_reply_ends_the_wait(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    services.pause_clock(case_id=case.pk, by=agent, data={"reason": "Waiting for photos."})

    services.log_contact(case_id=case.pk, by=agent, data={
        "channel": "chat", "direction": "inbound", "body": "照片发给您了"})

    case = fresh(case)
    assert case.clock_paused_at is None
    assert case.timeline.get(type="clock_resumed").data["why"] == "buyer_replied"


def test_a_pause_never_stops_the_marketplace_clock(db, shop, agent):
    shop.platform = "taobao"
    shop.save()
    case = open_case(shop, by=agent)

    case = services.pause_clock(case_id=case.pk, by=agent, data={"reason": "Waiting for photos."})

    assert case.next_due_at == case.marketplace_due_at


@pytest.mark.parametrize(("setup", "path", "payload", "status"), [
    ("paused", "pause", {"reason": "again"}, 409),
    ("running", "resume", {}, 409),
    ("running", "pause", {}, 400),
    ("running", "pause", {"reason": ""}, 400),
    ("running", "pause", ["not", "an", "object"], 400),
    ("closed", "pause", {"reason": "late"}, 409),
])
def test_a_pause_that_makes_no_sense_is_refused_and_changes_nothing(db, shop, agent, api, setup,
                                                                   path, payload, status):
    case = open_case(shop, by=agent)
    if setup == "paused":
        services.pause_clock(case_id=case.pk, by=agent, data={"reason": "Waiting for photos."})
    if setup == "closed":
        walk(case, agent, "withdraw")
    before = fresh(case)
    events = case.timeline.count()

    response = api(agent).post(f"/api/v1/cases/{case.pk}/{path}/", payload, format="json")

    assert response.status_code == status
    assert response.json()["detail"] if status == 409 else response.json()
    after = fresh(case)
    assert (after.clock_paused_at, after.resolution_due_at) == (before.clock_paused_at,
                                                                before.resolution_due_at)
    assert case.timeline.count() == events


def test_an_outsider_cannot_pause_a_case(db, shop, agent, outsider, api):
    case = open_case(shop, by=agent)

    response = api(outsider).post(f"/api/v1/cases/{case.pk}/pause/", {"reason": "x"}, format="json")

    assert response.status_code == 404
    assert fresh(case).clock_paused_at is None


# --- the platform's decision and the appeal window -----------------------------------------------


def test_a_platform_decision_opens_a_30_day_appeal_window(db, shop, agent, api):
    shop.platform = "taobao"
    shop.save()
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    decided = case.opened_at + timedelta(hours=3)

    with time_machine.travel(decided + timedelta(hours=2), tick=False):
        response = api(agent).post(f"/api/v1/cases/{case.pk}/platform-decision/",
                                   {"decision": "refund_granted", "decided_at": decided.isoformat()},
                                   format="json")

    assert response.status_code == 200
    case = fresh(case)
    assert case.appeal_due_at == decided + timedelta(days=30)
    assert case.timeline.get(type="platform_decided").data["decision"] == "refund_granted"


@pytest.mark.parametrize("payload", [
    {"decision": "the buyer won"},
    {},
    {"decision": "refund_granted", "decided_at": "2999-01-01T00:00:00Z"},
    {"decision": "refund_granted", "decided_at": "2000-01-01T00:00:00Z"},
    {"decision": "refund_granted", "decided_at": "yesterday"},
])
def test_a_malformed_platform_decision_is_refused(db, shop, agent, api, payload):
    case = open_case(shop, by=agent)

    response = api(agent).post(f"/api/v1/cases/{case.pk}/platform-decision/", payload,
                               format="json")

    assert response.status_code == 400
    assert fresh(case).platform_decided_at is None


# --- the next deadline in the API and the queue ---------------------------------------------------


def test_a_case_shows_its_next_deadline_and_the_time_left(db, shop, agent, api):
    case = open_case(shop, by=agent)

    with time_machine.travel(case.opened_at + timedelta(hours=20), tick=False):
        body = api(agent).get(f"/api/v1/cases/{case.pk}/").json()

    assert body["deadlines"]["next"] == {
        "name": "first_response", "due_at": body["deadlines"]["first_response_due_at"],
        "seconds_left": 4 * 3600, "breached": False}


def test_the_queue_sorts_by_the_next_deadline_with_cases_without_one_last(db, shop, agent, api):
    later_case = open_case(shop, by=agent, kind="non_delivery")  # 36 h to answer
    sooner = open_case(shop, by=agent)  # 24 h
    done = walk(open_case(shop, by=agent), agent, "withdraw")

    body = api(agent).get("/api/v1/cases/?ordering=next_due_at").json()

    assert [c["id"] for c in body["results"]] == [sooner.pk, later_case.pk, done.pk]


def test_the_queue_filters_breached_cases_and_those_due_before_a_time(db, shop, agent, api):
    breached = open_case(shop, by=agent)
    Case.objects.filter(pk=breached.pk).update(next_due_at=breached.opened_at - timedelta(hours=1))
    waiting = open_case(shop, by=agent, kind="non_delivery")

    assert [c["id"] for c in api(agent).get("/api/v1/cases/?breached=true").json()["results"]] == [
        breached.pk]
    cutoff = (waiting.opened_at + timedelta(hours=30)).isoformat().replace("+00:00", "Z")
    ids = {c["id"] for c in api(agent).get("/api/v1/cases/", {"due_before": cutoff}).json()["results"]}
    assert ids == {breached.pk}
    assert api(agent).get("/api/v1/cases/?due_before=soon").status_code == 400
