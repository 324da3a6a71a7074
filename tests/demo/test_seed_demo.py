"""`manage.py seed_demo`: the demo shop, its logins and cases in every state, safe to run again."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from cases.canned_replies import fill
from cases.deadlines import DEFAULT_DEADLINES
from cases.models import (
    CannedReply,
    CannedReplyUse,
    Case,
    ClosedAs,
    Contact,
    Customer,
    Evidence,
    Kind,
    Order,
    Shop,
    State,
    TimelineEvent,
)
from cases.models.dispute import REMEDIES_BY_KIND
from cases.phrases import check_phrases, rules_for
from cases.reports.scorecard import agent_scorecard
from demo import review_texts
from demo.review_scenarios import REVIEW_SCHEDULE, plan_review
from demo.scenarios import SCHEDULE, plan_case
from demo.walkthrough import WALKTHROUGH_ID
from reviews.models import Review

pytestmark = pytest.mark.django_db

SMALL = len(SCHEDULE) + 6  # every scenario once, and then some
SMALL_REVIEWS = len(REVIEW_SCHEDULE) + 3  # every review scenario once, and then some


def seed(cases=SMALL, reviews=SMALL_REVIEWS):
    out = StringIO()
    call_command("seed_demo", cases=cases, reviews=reviews, verbosity=0, stdout=out,
                 stderr=StringIO())
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Shop, User, Case, TimelineEvent, Contact, Evidence, Customer, Order, Review)
    }


def test_seeding_creates_the_demo_logins_with_the_password_demo(seeded):
    shop = Shop.objects.get(code="demo")
    assert shop.time_zone == "Asia/Shanghai"
    for username in ("agent1", "agent2", "supervisor1", "admin"):
        assert User.objects.get(username=username).check_password("demo")
    agent1, agent2, supervisor = (
        User.objects.get(username=name) for name in ("agent1", "agent2", "supervisor1")
    )
    assert [g.name for g in agent1.groups.all()] == ["agent"]
    assert [g.name for g in agent2.groups.all()] == ["agent"]
    assert [g.name for g in supervisor.groups.all()] == ["supervisor"]
    assert supervisor.is_staff and not supervisor.is_superuser
    assert User.objects.get(username="admin").is_superuser
    assert set(shop.members.values_list("username", flat=True)) == {
        "agent1", "agent2", "supervisor1", "demo-integration"
    }
    assert not User.objects.get(username="demo-integration").has_usable_password()


DISPUTE_KINDS = {Kind.REFUND, Kind.NON_DELIVERY, Kind.NOT_AS_DESCRIBED}
DISPUTE_STATES = {State.NEW, State.ACKNOWLEDGED, State.CALMED, State.UNDERSTOOD, State.PROPOSED,
                  State.RESOLVED, State.CLOSED, State.ESCALATED}


def test_seeding_spreads_the_disputes_over_every_state_and_every_kind(seeded):
    cases = Case.objects.filter(shop__code="demo")
    # and the walk-through's case, and the two refunds past the shop's approval limit
    assert cases.count() == SMALL + SMALL_REVIEWS + 1 + 2
    disputes = cases.filter(kind__in=DISPUTE_KINDS, external_id__startswith="DEMO-")
    assert disputes.count() == SMALL
    assert set(disputes.values_list("state", flat=True)) == DISPUTE_STATES
    assert set(disputes.values_list("kind", flat=True)) == DISPUTE_KINDS
    closed = cases.filter(state=State.CLOSED)
    assert set(closed.values_list("closed_as", flat=True)) == set(ClosedAs.values)
    assert cases.filter(state=State.NEW, assignee=None).exists()
    assigned = cases.exclude(assignee=None)
    assert set(assigned.values_list("assignee__username", flat=True)) == {"agent1", "agent2"}
    events = TimelineEvent.objects.filter(case__in=cases)
    assert events.filter(type="hand_over", actor__username="supervisor1").exists()
    assert events.filter(type="reopen").exists()
    assert events.filter(type="escalate", actor=None).exists()  # the deadline sweep
    assert Evidence.objects.filter(case__kind=Kind.NOT_AS_DESCRIBED).exists()


REVIEW_REMEDIES = {"partial_refund", "reship", "exchange", "coupon", "apology_only"}


def test_seeded_remedies_fit_the_kind_and_never_refund_more_than_was_paid(seeded):
    for case in Case.objects.exclude(chosen_remedy="").select_related("order"):
        allowed = REVIEW_REMEDIES if case.kind == Kind.NEGATIVE_REVIEW else REMEDIES_BY_KIND[case.kind]
        assert case.chosen_remedy in allowed
        if case.remedy_amount is not None:
            assert 0 < case.remedy_amount <= case.order.paid_amount
    non_delivery = Case.objects.filter(kind=Kind.NON_DELIVERY, state=State.UNDERSTOOD)
    assert all(case.tracking_status for case in non_delivery)


def test_seeded_cases_were_opened_over_the_past_weeks_with_times_in_order(seeded):
    now = timezone.now()
    cases = list(Case.objects.all())
    assert min(c.opened_at for c in cases) < now - timedelta(days=7)
    assert max(c.opened_at for c in cases) > now - timedelta(days=3)
    for case in cases:
        first_response, resolution = DEFAULT_DEADLINES[case.kind]
        assert case.first_response_due_at == case.opened_at + first_response
        if case.timeline.filter(type__in=["hand_over", "reopen"]).exists():
            assert case.resolution_due_at > case.opened_at + resolution  # the clock restarted
        else:
            assert case.resolution_due_at == case.opened_at + resolution
        times = [case.opened_at, case.first_responded_at, case.resolved_at, case.closed_at]
        known = [t for t in times if t is not None]
        assert known == sorted(known), case.external_id
        assert known[-1] <= now
    for review in Review.objects.select_related("case"):
        assert review.posted_at < review.case.opened_at, review.platform_review_id
        assert review.imported_at == review.case.opened_at
        if review.revision_requested_at is not None:
            assert review.case.opened_at < review.revision_requested_at <= now


def test_seeding_twice_creates_nothing_new(seeded):
    before = counts()
    states = dict(Case.objects.values_list("external_id", "state"))

    output = seed()

    assert counts() == before
    assert dict(Case.objects.values_list("external_id", "state")) == states
    assert "already there" in output


def test_seeding_again_resets_the_demo_passwords_roles_and_memberships(seeded):
    agent = User.objects.get(username="agent1")
    agent.set_password("forgotten")
    agent.save()
    agent.groups.clear()
    Shop.objects.get(code="demo").members.remove(agent)

    seed()

    agent = User.objects.get(username="agent1")
    assert agent.check_password("demo")
    assert [g.name for g in agent.groups.all()] == ["agent"]
    assert agent.shops.filter(code="demo").exists()


def test_seeding_more_cases_later_tops_up_only_the_missing_ones():
    seed(cases=5, reviews=0)
    first = dict(Case.objects.filter(external_id__startswith="DEMO-")
                 .values_list("external_id", "pk"))

    seed(cases=12, reviews=0)

    cases = dict(Case.objects.filter(external_id__startswith="DEMO-")
                 .values_list("external_id", "pk"))
    assert len(cases) == 12
    assert {k: cases[k] for k in first} == first
    assert sorted(cases) == [f"DEMO-{n:04d}" for n in range(1, 13)]


def test_seeding_more_reviews_later_tops_up_only_the_missing_ones():
    seed(cases=2, reviews=3)
    first = dict(Case.objects.exclude(external_id=WALKTHROUGH_ID).values_list("external_id", "pk"))

    seed(cases=2, reviews=7)

    cases = dict(Case.objects.exclude(external_id=WALKTHROUGH_ID).values_list("external_id", "pk"))
    assert {k: cases[k] for k in first} == first
    assert sorted(cases) == ["APPROVE-0001", "APPROVE-0002", "DEMO-0001", "DEMO-0002"] + [
        f"review:TB-RV-{n:04d}" for n in range(1, 8)
    ]


def test_the_demo_data_is_the_same_on_every_run():
    now = timezone.now()
    assert plan_case(7, now) == plan_case(7, now)
    assert plan_case(7, now).payload != plan_case(8, now).payload
    assert plan_review(7, now) == plan_review(7, now)
    assert plan_review(7, now).payload != plan_review(8, now).payload


# --- negative-review cases (中差评) ---------------------------------------------------------------

REVIEW_STATES = {State.NEW, State.CALMED, State.UNDERSTOOD, State.REMEDIED,
                 State.REVISION_REQUESTED, State.REVISED, State.REPLIED, State.CLOSED,
                 State.ESCALATED}


def test_seeding_spreads_the_review_cases_over_every_review_state(seeded):
    reviews = Case.objects.filter(shop__code="demo", kind=Kind.NEGATIVE_REVIEW)
    assert reviews.count() == SMALL_REVIEWS
    assert set(reviews.values_list("state", flat=True)) == REVIEW_STATES
    assert all(case.external_id.startswith("review:TB-RV-") for case in reviews)
    assert Review.objects.filter(case__in=reviews).count() == SMALL_REVIEWS
    new = reviews.filter(state=State.NEW)
    assert new.filter(assignee=None).exists()
    assert new.filter(contacts__outcome="no_answer").exists()  # a call that failed
    closed = Review.objects.filter(case__state=State.CLOSED)
    assert closed.exclude(revised_rating=None).exists()  # closed after the revision
    assert closed.filter(revised_rating=None).exclude(public_reply="").exists()  # after a reply
    events = TimelineEvent.objects.filter(case__in=reviews)
    assert events.filter(type="hand_over", actor__username="supervisor1").exists()
    assert set(Review.objects.values_list("cause", flat=True)) - {""}
    for review in Review.objects.all():
        assert 1 <= review.rating <= 3
        assert review.text and review.category
        if review.revised_rating is not None:
            assert review.revised_rating in (4, 5)


def test_every_public_reply_and_revision_request_passes_the_phrase_check(seeded):
    rules = rules_for(Shop.objects.get(code="demo"))
    assert "但是" in rules and "but" in rules
    replies = list(Review.objects.exclude(public_reply="").values_list("public_reply", flat=True))
    assert replies
    for reply in replies:
        assert check_phrases(reply, rules) == [], reply
    requested = Review.objects.exclude(revision_requested_at=None)
    assert requested.exists()
    for review in requested.select_related("case"):
        messages = review.case.contacts.filter(channel="chat", direction="outbound")
        assert messages.count() == 1  # asked once
        assert check_phrases(messages.get().body, rules) == []


def test_a_buyer_who_asked_not_to_be_contacted_was_answered_publicly(seeded):
    reviews = Review.objects.filter(customer__do_not_contact=True, case__isnull=False)
    replied = reviews.exclude(public_reply="")
    assert replied.exists()
    for review in replied:
        assert review.case.contacts.filter(outcome="do_not_contact").exists()
        assert review.case.state in (State.REPLIED, State.CLOSED)


def test_every_demo_case_of_a_full_seeding_has_its_own_buyer():
    """A buyer's contacts in one case (asked not to be contacted, 3 attempts in 7 days) would
    refuse the calls of another case: the default 300 disputes and 70 reviews never share one."""
    now = timezone.now()
    handles = [plan_case(n, now).payload["customer"]["handle"] for n in range(1, 301)]
    handles += [plan_review(n, now).payload["customer"]["handle"] for n in range(1, 71)]
    assert len(set(handles)) == len(handles)


def test_no_reply_or_revision_request_template_uses_a_phrase_to_avoid():
    """Every template, not only those the seeded cases happened to draw."""
    rules = rules_for(None)
    templates = [*review_texts.NO_CONTACT_REPLIES, *review_texts.UNREACHABLE_REPLIES,
                 *review_texts.REVISION_REQUESTS]
    templates += [t for replies in review_texts.PUBLIC_REPLIES.values() for t in replies]
    for template in templates:
        for text in template:
            assert check_phrases(text, rules) == [], text


def test_seeding_gives_the_demo_shop_the_demo_api_token(seeded):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer demo-api-token")

    response = client.get("/api/v1/cases/?page_size=1")

    assert response.status_code == 200
    assert response.json()["count"] > 0


# --- quick replies (快捷短语) in the stories ----------------------------------------------------


def test_some_stories_fill_messages_from_quick_replies_through_the_service(seeded):
    uses = list(CannedReplyUse.objects.select_related("reply", "by", "case"))

    assert {use.by.username for use in uses} == {"agent1", "agent2"}
    assert sum(CannedReply.objects.values_list("usage_count", flat=True)) == len(uses)
    for use in uses:
        # the message sent is the reply filled for the case, sent when it was used
        filled = fill(use.reply.body, use.case, use.by, language=use.reply.language)
        sent = use.case.contacts.filter(direction="outbound", channel="chat", by=use.by,
                                        at__gte=use.at, at__lt=use.at + timedelta(seconds=1))
        assert [c.body for c in sent] == [filled], (use.case.external_id, use.reply.shortcut)
        assert not use.reply.kind or use.reply.kind == use.case.kind


def test_the_scorecards_quick_reply_figure_is_real_on_the_demo(seeded):
    card = agent_scorecard(by=None, params={"shop": "demo"})

    assert card.team["quick_replies_per_100_messages"] > 0
    assert all(row["quick_replies_per_100_messages"] > 0 for row in card.results
               if row["agent"] in ("agent1", "agent2"))
