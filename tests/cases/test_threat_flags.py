"""Threats flagged at intake: where the buyer's words come in, what a flag records, who is told,
and that nothing is ever done to the buyer because of it."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from cases import services
from cases.models import Case, Contact, Customer, OutgoingWebhook, TimelineEvent
from notifications.models import Notification, Reminder, ReminderKind
from tests.factories import TO_RESOLVED, open_case, walk
from tests.notifications.helpers import deliver_due
from tests.reviews.factories import open_review_case

THREAT = "再不给我退款我就去12315投诉你们"


def say(case: Case, body: str) -> None:
    services.log_contact(case_id=case.pk, by=None, data={
        "channel": "chat", "direction": "inbound", "body": body})


def flags_of(case: Case) -> dict[str, list[str]]:
    return {f["code"]: f["matched"] for f in Case.objects.get(pk=case.pk).threats}


def test_a_case_opened_with_a_threat_is_flagged_with_the_words_and_an_event(shop, agent):
    case = open_case(shop, by=agent, description=THREAT)

    case.refresh_from_db()
    assert case.flagged is True
    assert [(f["code"], f["matched"], f["source"]) for f in case.threats] == [
        ("regulator", ["12315"], "description"), ("platform_complaint", ["投诉"], "description")]
    event = case.timeline.get(type="threat_flagged")
    assert event.actor is None
    assert event.data == {"source": "description", "threats": [
        {"code": "regulator", "matched": ["12315"]},
        {"code": "platform_complaint", "matched": ["投诉"]}]}


def test_an_ordinary_angry_case_is_not_flagged_and_costs_no_event(shop, agent):
    case = open_case(shop, by=agent, description="太差了，再也不买了")

    case.refresh_from_db()
    assert (case.flagged, case.threats) == (False, [])
    assert not case.timeline.filter(type="threat_flagged").exists()
    assert not Reminder.objects.filter(kind=ReminderKind.THREAT_FLAGGED).exists()


def test_a_buyers_message_is_read_for_threats_but_the_agents_own_words_are_not(shop, agent):
    case = open_case(shop, by=agent)
    services.send_message(case_id=case.pk, by=agent, data={"body": "我们的律师也这么说"})
    assert flags_of(case) == {}

    say(case, "I'm going to sue you, my lawyer will call")

    assert flags_of(case) == {"legal": ["sue", "lawyer"]}
    event = case.timeline.get(type="threat_flagged")
    assert event.data["source"] == "message"
    assert event.data["contact_id"] == Contact.objects.get(direction="inbound").pk


def test_the_same_words_twice_make_one_flag_per_kind_and_new_words_join_it(shop, agent):
    case = open_case(shop, by=agent, description="我要投诉你们")

    say(case, "我要投诉你们")
    say(case, "我要投诉你们")
    say(case, "我已经举报了")

    assert flags_of(case) == {"platform_complaint": ["投诉", "举报"]}
    assert case.timeline.filter(type="threat_flagged").count() == 1
    assert Reminder.objects.filter(kind=ReminderKind.THREAT_FLAGGED).count() == 1


def test_the_shops_supervisors_are_told_once_per_case_and_kind(shop, agent, supervisor):
    case = open_case(shop, by=agent, description="不退款我就找律师")
    say(case, "律师函明天到，再不处理我就报警")
    say(case, "I will post this on Twitter and Facebook")

    deliver_due()

    told = Notification.objects.filter(recipient=supervisor, kind=ReminderKind.THREAT_FLAGGED)
    assert sorted(n.data["threat"] for n in told) == ["exposure", "legal"]
    assert not Notification.objects.filter(recipient=agent, kind=ReminderKind.THREAT_FLAGGED)
    legal = told.get(data__threat="legal")
    assert legal.data["matched"] == ["律师"]
    assert legal.case_id == case.pk


def test_the_notice_names_the_threat_and_the_words_in_the_readers_language(shop, agent,
                                                                           supervisor):
    from django.utils import translation

    from notifications.texts import render

    open_case(shop, by=agent, description=THREAT)
    deliver_due()
    notice = Notification.objects.filter(recipient=supervisor, data__threat="regulator").get()

    with translation.override("en"):
        title, body = render(notice)
    assert "the buyer threatens — Complaint to a regulator" in title
    assert "“12315”" in body and "Nothing is done to the buyer" in body
    with translation.override("zh-hans"):
        title, body = render(notice)
    assert "向监管部门投诉" in title


def test_a_review_with_a_threat_is_flagged_from_the_review(shop, agent):
    case = open_review_case(shop, by=agent, text="不给我退款就一直给差评")

    assert [(f["code"], f["source"]) for f in Case.objects.get(pk=case.pk).threats] == [
        ("review_extortion", "review")]


def test_imported_reviews_are_flagged_in_bulk_with_their_events_and_notices(tmp_path: Path, shop):
    path = tmp_path / "reviews.csv"
    path.write_text("review_id,posted_at,category,rating,review_text\n"
                    "R-1,2026-03-01T10:00:00+08:00,杯子,1,杯子碎了，不赔偿我就去消协\n"
                    "R-2,2026-03-02T11:30:00+08:00,杯子,1,杯子碎了，很失望\n"
                    "R-3,2026-03-03T11:30:00+08:00,杯子,5,我会推荐给朋友，不会投诉\n",
                    encoding="utf-8")

    call_command("import_reviews", str(path), shop=shop.code, no_progress=True, stdout=StringIO())
    call_command("import_reviews", str(path), shop=shop.code, no_progress=True, stdout=StringIO())

    flagged = Case.objects.get(flagged=True)
    assert flagged.external_id.endswith("R-1")
    assert [(f["code"], f["matched"]) for f in flagged.threats] == [("regulator", ["消协"])]
    assert TimelineEvent.objects.filter(type="threat_flagged").count() == 1
    assert Reminder.objects.filter(kind=ReminderKind.THREAT_FLAGGED, case=flagged).count() == 1


def test_nothing_is_done_to_the_buyer_no_reply_no_block_no_outgoing_event(shop, agent):
    case = open_case(shop, by=agent)
    buyer = list(Customer.objects.values())

    say(case, "I'll expose you on social media and report you to the FTC")

    assert flags_of(case)
    assert list(Contact.objects.values_list("direction", flat=True)) == ["inbound"]
    assert not OutgoingWebhook.objects.filter(type="message.sent").exists()
    assert list(Customer.objects.values()) == buyer
    after = Case.objects.get(pk=case.pk)
    assert (after.state, after.assignee_id) == (case.state, case.assignee_id)


def test_a_closed_case_no_longer_comes_first_and_a_reopened_one_does_again(shop, agent):
    case = open_case(shop, by=agent, description=THREAT)
    case = walk(case, agent, *TO_RESOLVED)
    services.log_contact(case_id=case.pk, by=agent, data={
        "channel": "call", "direction": "outbound", "outcome": "reached", "body": "回访"})
    case = walk(case, agent, "close")
    assert Case.objects.get(pk=case.pk).flagged is False

    walk(case, agent, "reopen")

    assert Case.objects.get(pk=case.pk).flagged is True


def test_claim_next_gives_escalated_then_threatened_cases_before_nearer_deadlines(
    shop, agent, teammate, supervisor
):
    now = timezone.now()
    plain = open_case(shop, by=None)
    threatened = open_case(shop, by=None, description="我要去法院起诉你们")
    escalated = open_case(shop, by=None)
    services.run_transition(case_id=escalated.pk, name="escalate", by=supervisor,
                            data={"reason": "The marketplace asked."})
    Case.objects.filter(pk=plain.pk).update(next_due_at=now + timedelta(minutes=5),
                                            marketplace_due_at=None)
    Case.objects.filter(pk=threatened.pk).update(next_due_at=now + timedelta(days=2),
                                                 marketplace_due_at=None)
    taken = [services.claim_next(by=user).pk for user in (agent, teammate, agent)]

    assert taken == [escalated.pk, threatened.pk, plain.pk]
