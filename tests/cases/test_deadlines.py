"""The shop's own clock: a deadline policy per shop and kind, with defaults."""

from datetime import UTC, datetime, timedelta

import time_machine

from cases import deadlines, services
from cases.deadlines import DEFAULT_DEADLINES
from cases.models import DeadlinePolicy, Kind
from reviews.importing import ParsedReview
from reviews.models import Review
from reviews.services import import_reviews
from tests.factories import open_case, walk


def policy(shop, kind, first_response, resolution):
    return DeadlinePolicy.objects.create(shop=shop, kind=kind, first_response=first_response,
                                         resolution=resolution)


def test_a_case_in_a_shop_without_a_policy_gets_the_default_clock_of_its_kind(shop, agent):
    case = open_case(shop, by=agent, kind=Kind.NON_DELIVERY)

    first_response, resolution = DEFAULT_DEADLINES[Kind.NON_DELIVERY]
    assert case.first_response_due_at == case.opened_at + first_response
    assert case.resolution_due_at == case.opened_at + resolution


def test_the_shops_policy_for_a_kind_sets_the_clock_of_its_new_cases(shop, other_shop, agent):
    policy(shop, Kind.REFUND, timedelta(hours=2), timedelta(hours=30))

    refund = open_case(shop, by=agent, kind=Kind.REFUND)
    other_kind = open_case(shop, by=agent, kind=Kind.NON_DELIVERY)

    assert refund.first_response_due_at == refund.opened_at + timedelta(hours=2)
    assert refund.resolution_due_at == refund.opened_at + timedelta(hours=30)
    assert other_kind.resolution_due_at == (other_kind.opened_at
                                            + DEFAULT_DEADLINES[Kind.NON_DELIVERY][1])


def test_a_hand_over_restarts_the_resolution_clock_by_the_shops_policy(shop, agent, teammate,
                                                                       supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    policy(shop, Kind.REFUND, timedelta(hours=2), timedelta(hours=10))
    handed_at = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)

    with time_machine.travel(handed_at, tick=False):
        handed = services.run_transition(case_id=case.pk, name="hand_over", by=supervisor,
                                         data={"to": teammate.username, "reason": "stuck"})

    assert handed.resolution_due_at == handed_at + timedelta(hours=10)


def test_an_import_opens_review_cases_on_the_shops_review_clock(shop):
    policy(shop, Kind.NEGATIVE_REVIEW, timedelta(hours=6), timedelta(days=2))
    posted = datetime(2026, 5, 1, tzinfo=UTC)
    rows = [(n + 2, ParsedReview(platform_review_id=f"P{n}", posted_at=posted, category="",
                                 rating=1, text="差")) for n in range(30)]

    report = import_reviews(shop=shop, rows=rows)

    assert report.cases_opened == 30
    for review in Review.objects.select_related("case"):
        case = review.case
        assert case.resolution_due_at - case.opened_at == timedelta(days=2)
        assert case.first_response_due_at - case.opened_at == timedelta(hours=6)


def test_supervisors_see_their_shops_deadline_policies_in_the_admin(client, shop, supervisor):
    policy(shop, Kind.REFUND, timedelta(hours=2), timedelta(hours=30))
    client.force_login(supervisor)

    response = client.get(f"/admin/cases/shop/{shop.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Deadline policies" in page and "2:00:00" in page and "1 day, 6:00:00" in page


def test_a_shops_clock_is_read_once_and_kept(shop, django_assert_num_queries):
    policy(shop, Kind.REFUND, timedelta(hours=2), timedelta(hours=30))
    first = deadlines.clock_for(shop, Kind.REFUND)

    with django_assert_num_queries(0):
        again = deadlines.clock_for(shop, Kind.REFUND)

    assert again == first and again.resolution == timedelta(hours=30)


def test_a_policy_saved_in_this_process_applies_to_the_next_case_at_once(shop, agent):
    open_case(shop, by=agent, kind=Kind.REFUND)  # the default clock is now kept
    policy(shop, Kind.REFUND, timedelta(hours=2), timedelta(hours=30))

    case = open_case(shop, by=agent, kind=Kind.REFUND)

    assert case.resolution_due_at == case.opened_at + timedelta(hours=30)


def test_a_policy_changed_by_another_process_applies_after_the_clock_ttl(shop, monkeypatch):
    kept = policy(shop, Kind.REFUND, timedelta(hours=2), timedelta(hours=30))
    assert deadlines.clock_for(shop, Kind.REFUND).resolution == timedelta(hours=30)
    # another process edits the policy: this one hears no signal
    DeadlinePolicy.objects.filter(pk=kept.pk).update(resolution=timedelta(hours=40))
    assert deadlines.clock_for(shop, Kind.REFUND).resolution == timedelta(hours=30)

    later = deadlines.time.monotonic() + deadlines.CLOCK_TTL + 1
    monkeypatch.setattr(deadlines.time, "monotonic", lambda: later)

    assert deadlines.clock_for(shop, Kind.REFUND).resolution == timedelta(hours=40)
