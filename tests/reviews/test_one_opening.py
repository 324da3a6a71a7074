"""A review opens its case the same way on every road: the API, the marketplace's webhook, the
import. Same timeline event, same outgoing webhook row, same reminders, same rule for which
ratings open a case."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.core.management import call_command

from cases.models import Case, OutgoingWebhook, TimelineEvent
from notifications.models import Reminder
from reviews import models as review_models
from reviews import services
from reviews.importing import ParsedReview
from tests.integrations.test_webhooks import event, post
from tests.reviews.factories import review_payload

POSTED = "2026-11-20T10:00:00+08:00"


@pytest.fixture
def shops(shop, other_shop):
    """Two shops that both want to hear about every change of their cases."""
    for each in (shop, other_shop):
        each.outgoing_webhook_url = f"https://{each.code}.example.com/hooks"
        each.webhook_secret = "demo-webhook-secret"
        each.save()
    return shop, other_shop


def imported(shop: Any, platform_review_id: str, rating: int = 1) -> None:
    services.import_reviews(shop=shop, rows=[(2, ParsedReview(
        platform_review_id=platform_review_id, rating=rating, text="杯子用了两天就漏水",
        category="", posted_at=datetime.fromisoformat(POSTED)))])


def posted_through_the_api(api: Any, user: Any, shop: Any, platform_review_id: str,
                           rating: int = 1) -> Any:
    return api(user).post("/api/v1/cases/", {
        "kind": "negative_review", "shop": shop.code,
        "review": {"platform_review_id": platform_review_id, "rating": rating,
                   "text": "杯子用了两天就漏水", "posted_at": POSTED},
    }, format="json")


def what_was_written(case: Case) -> dict[str, Any]:
    """The case's timeline, outgoing rows and reminders, without ids, times, shop and actor."""
    outgoing = []
    for webhook in OutgoingWebhook.objects.filter(case=case):
        data = webhook.payload["data"]
        outgoing.append((webhook.type, webhook.state, webhook.attempts, webhook.payload["type"],
                         {k: v for k, v in data["case"].items() if k not in ("id", "shop")},
                         data["transition"], data["from_state"], data["to_state"]))
    return {
        "timeline": [(e.type, e.from_state, e.to_state, e.data)
                     for e in TimelineEvent.objects.filter(case=case).order_by("id")],
        "outgoing": outgoing,
        "reminders": sorted((r.kind, r.audience, r.state, r.due_at - case.opened_at)
                            for r in Reminder.objects.filter(case=case)),
        "case": (case.kind, case.state, case.description, case.assignee_id,
                 case.first_response_due_at - case.opened_at,
                 case.resolution_due_at - case.opened_at, case.marketplace_due_at),
    }


def test_a_review_opened_through_the_api_and_by_the_import_writes_the_same_rows(shops, api, agent):
    shop, other_shop = shops
    # given: the same review, sent to one shop's API and in the other shop's export
    response = posted_through_the_api(api, agent, shop, "TB-RV-7001")
    assert response.status_code == 201, response.json()

    # when
    imported(other_shop, "TB-RV-7001")

    # then
    through_api = Case.objects.get(shop=shop, external_id="review:TB-RV-7001")
    through_import = Case.objects.get(shop=other_shop, external_id="review:TB-RV-7001")
    written = what_was_written(through_import)
    assert written == what_was_written(through_api)
    assert [row[0] for row in written["outgoing"]] == ["case.opened"]
    assert [row[0] for row in written["timeline"]] == ["case_opened"]


def test_every_case_an_import_opens_is_sent_to_the_shop_once(shops, tmp_path):
    shop, _other = shops
    export = tmp_path / "export.csv"
    export.write_text("review_id,posted_at,category,rating,review_text\n"
                      f"R-1,{POSTED},杯子,1,漏水\nR-2,{POSTED},杯子,5,很好\nR-3,{POSTED},茶叶,3,一般\n")

    call_command("import_reviews", str(export), shop=shop.code, no_progress=True)
    call_command("import_reviews", str(export), shop=shop.code, no_progress=True)

    sent = OutgoingWebhook.objects.filter(shop=shop)
    assert sorted(sent.values_list("case__external_id", flat=True)) == ["review:R-1", "review:R-3"]
    assert {w.payload["type"] for w in sent} == {"case.opened"}


def test_an_import_batch_asks_for_one_delivery_run_not_a_task_per_case(
        shops, django_capture_on_commit_callbacks, monkeypatch):
    shop, _other = shops
    sent: list[str] = []
    monkeypatch.setattr("celery.app.task.Task.apply_async",
                        lambda task, *args, **kwargs: sent.append(task.name))

    with django_capture_on_commit_callbacks(execute=True):
        services.import_reviews(shop=shop, rows=[(n, ParsedReview(
            platform_review_id=f"B-{n}", rating=1, text="坏了", category="",
            posted_at=datetime.fromisoformat(POSTED))) for n in range(5)])

    assert OutgoingWebhook.objects.filter(shop=shop).count() == 5
    assert sent.count("cases.tasks.send_due_outgoing_webhooks") == 1
    assert "cases.tasks.deliver_outgoing_webhook" not in sent


def test_which_ratings_open_a_case_is_decided_in_one_place(shops, api, supervisor, monkeypatch):
    shop, _other = shops
    # given: the rule changed to 差评 only (2 and below)
    monkeypatch.setattr(review_models, "OPENS_A_CASE_AT_OR_BELOW", 2)

    # when: a 3-star review arrives on every road
    through_api = posted_through_the_api(api, supervisor, shop, "M-1", rating=3)
    through_webhook = post(event("review.posted", review_payload(shop, rating=3), event_id="m2"))
    imported(shop, "M-3", rating=3)

    # then: none opens a case, and a 2-star one still does
    assert through_api.status_code == 400
    assert "rating" in through_api.json()["errors"]["review"]
    assert through_webhook.json()["status"] == "ignored"
    assert not Case.objects.exists()
    imported(shop, "M-4", rating=2)
    assert list(Case.objects.values_list("external_id", flat=True)) == ["review:M-4"]
