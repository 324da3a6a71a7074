"""The threat rules: what flags a buyer's words, what does not, and how well, on labelled texts."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import AdminSite
from django.core.exceptions import ValidationError

from benchmarks.threat_rules import DATA, HOLDOUT, load, measure
from cases.admin import ThreatRuleAdmin
from cases.models import ThreatRule
from cases.threats import find_threats, pattern_problem, rules_for

# Floors set from the measured figures (docs/BENCHMARKS.md, "Threat rules"), a little below them.
# The held-out floors are those of the second held-out set (the first joined the tuned texts when
# the rules of migration 0034 were written from its misses): written to be harder, measured once
# at 86.2% precision and 75.8% recall.
FLOORS = {DATA: (0.95, 0.97), HOLDOUT: (0.84, 0.73)}


def flags(text: str, shop=None) -> dict[str, list[str]]:
    return find_threats(text, rules_for(shop))


def test_the_labelled_texts_are_two_hundred_and_more_in_both_languages_threats_and_not():
    texts = load(DATA) + load(HOLDOUT)

    assert len(load(DATA)) >= 200
    assert {(t.language, bool(t.codes)) for t in texts} == {
        ("zh", True), ("zh", False), ("en", True), ("en", False)}


@pytest.mark.parametrize("path", [DATA, HOLDOUT], ids=["tuned", "held-out"])
def test_the_default_rules_keep_their_precision_and_recall_on_the_labelled_texts(db, path):
    result = measure(load(path), rules_for(None))

    precision, recall = FLOORS[path]
    assert result.precision >= precision, result.errors
    assert result.recall >= recall, result.errors


def test_a_threat_is_flagged_with_the_words_that_triggered_it(db):
    assert flags("再不给我退款我就去12315投诉你们") == {
        "regulator": ["12315"], "platform_complaint": ["投诉"]}
    assert flags("I'll take you to small claims court") == {"legal": ["small claims", "court"]}
    assert flags("不退款就给差评") == {"review_extortion": ["不退款就给差评"]}


def test_ordinary_angry_complaints_are_not_threats(db):
    for text in ("太差了", "再也不买了", "I'm very disappointed", "差评！做工粗糙",
                 "Never buying from this store again", "相机的照片总是曝光过度"):
        assert flags(text) == {}, text


def test_a_network_is_a_threat_where_the_buyer_will_post_there_not_where_they_saw_an_ad(db):
    assert flags("I'll be posting photos of this junk on Facebook") == {
        "exposure": ["posting photos of this junk on Facebook"]}
    assert flags("我在快手上发视频曝光你们") == {"exposure": ["快手上发视频曝光"]}
    assert flags("I saw your ad on Facebook and the jacket looks nothing like it") == {}
    assert flags("在小红书上看到的买家秀和实物差太多了") == {}


def test_a_report_to_a_marketplace_or_the_bank_and_a_legal_team_are_threats(db):
    assert flags("Your store will be reported to Etsy") == {
        "platform_complaint": ["reported to Etsy"]}
    assert flags("I'm disputing this with my credit card company") == {
        "platform_complaint": ["disputing this with my credit card compa"]}
    assert flags("我要去银行申请拒付") == {"platform_complaint": ["申请拒付"]}
    assert flags("Expect to hear from my legal team") == {"legal": ["legal team"]}
    assert flags("My legal name is on the order not my nickname") == {}


def test_a_review_removed_for_money_is_extortion_but_the_sellers_offer_told_by_the_buyer_is_not(db):
    assert flags("Compensate me and I'll delete the review") == {
        "review_extortion": ["Compensate me and I'll delete the review"]}
    assert flags("给我赔五十块，我把差评删了") == {"review_extortion": ["赔五十块，我把差评删"]}
    assert flags("商家说返现10元让我改好评，我拒绝了") == {}
    assert flags("差评不会改，退款也要退") == {}


def test_a_threat_the_buyer_denies_is_not_one_but_a_conditional_one_is(db):
    assert flags("我不会投诉的，你们尽快处理就好") == {}
    assert flags("I'm not going to sue anyone - I just want my money back") == {}
    assert flags("没收到货我会投诉") == {"platform_complaint": ["投诉"]}
    assert flags("If you don't refund me I will sue") == {"legal": ["sue"]}
    assert flags("I will not hesitate to sue") == {"legal": ["sue"]}


def test_english_rules_match_whole_words_in_any_case(db):
    assert flags("Your issue tracking is a mess") == {}
    assert flags("MY LAWYER WILL CALL") == {"legal": ["LAWYER"]}
    # (the words are those of the first default, in order of pattern, that matches there: since
    # migration 0034 one that runs on to the payment, "… if you send")
    assert flags("I’ll remove the bad review if you send me a voucher") == {
        "review_extortion": ["remove the bad review if you send"]}


def test_a_shop_adds_replaces_and_switches_off_rules_of_its_own(shop, other_shop):
    ThreatRule.objects.create(shop=shop, code="exposure", pattern="黑猫")
    ThreatRule.objects.create(shop=shop, code="legal", pattern="律师", enabled=False)

    assert flags("我要去黑猫发帖，还要找律师", shop) == {"exposure": ["黑猫"]}
    assert flags("我要去黑猫发帖，还要找律师", other_shop) == {"legal": ["律师"]}


@pytest.mark.parametrize(("pattern", "reason"), [
    ("", "Write the words to look for."),
    ("   ", "Write the words to look for."),
    ("(律师", "This is not a pattern the rules understand"),
    ("a*", "This pattern matches every text"),
    ("(a+)+", "A repeated group inside a repetition"),
    ("x" * 201, "A pattern is at most 200 characters."),
])
def test_a_pattern_that_cannot_work_is_refused_with_the_reason(db, shop, pattern, reason):
    rule = ThreatRule(shop=shop, code="legal", pattern=pattern)

    with pytest.raises(ValidationError) as refused:
        rule.full_clean()

    assert reason in " ".join(refused.value.message_dict["pattern"])
    assert pattern_problem("律师|lawyer") == ""


def test_a_broken_pattern_written_past_the_check_is_left_out_not_a_crash(shop):
    ThreatRule.objects.create(shop=shop, code="legal", pattern="(律师")

    assert flags("找律师", shop) == {"legal": ["律师"]}


def test_the_admin_refuses_a_bad_pattern_with_the_reason(rf, shop, supervisor):
    request = rf.post("/")
    request.user = supervisor
    form_class = ThreatRuleAdmin(ThreatRule, AdminSite()).get_form(request)

    form = form_class(data={"shop": shop.pk, "code": "legal", "pattern": "(律师", "enabled": "on"})

    assert not form.is_valid()
    assert "This is not a pattern the rules understand" in str(form.errors["pattern"])


def test_supervisors_may_edit_their_shops_rules_in_the_admin(supervisor):
    assert supervisor.has_perms(["cases.add_threatrule", "cases.change_threatrule",
                                 "cases.delete_threatrule"])
