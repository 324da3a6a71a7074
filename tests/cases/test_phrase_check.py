"""The reply phrase check (seed 001): phrases service language never uses, found with their
positions and what to say instead; per-shop rules; warnings on outbound messages."""

from __future__ import annotations

import pytest

from cases.models import Contact, PhraseRule, TimelineEvent
from cases.phrases import check_phrases, rules_for
from tests.factories import open_case

MESSAGE = {"channel": "chat", "direction": "outbound"}


def hits(text: str, shop=None) -> list[tuple[str, int, int]]:
    found = check_phrases(text, rules_for(shop))
    for hit in found:
        assert hit.start < hit.end
    return [(hit.phrase, hit.start, hit.end) for hit in found]


def matched(text: str, shop=None) -> list[str]:
    return [text[hit.start:hit.end] for hit in check_phrases(text, rules_for(shop))]


def contacts_url(case) -> str:
    return f"/api/v1/cases/{case.pk}/contacts/"


# --- the defaults -------------------------------------------------------------------------------

@pytest.mark.parametrize(("phrase", "suggestion"), [
    ("我不能", "看看我们能够帮你做什么"),
    ("我不会做", "我们能为你做的是……"),
    ("这不是我应该做的", "我很愿意为你做"),
    ("我想我做不了", "说出你能做的，并表示很乐意帮忙"),
    ("不行", "委婉地拒绝，并说明原因（因为……）"),
    ("不可以", "委婉地拒绝，并说明原因（因为……）"),
    ("但是", "称赞之后不要接“但是”"),
])
def test_each_chinese_phrase_is_found_at_its_position_with_its_suggestion(db, phrase, suggestion):
    text = f"亲，{phrase}。"

    found = check_phrases(text, rules_for(None))

    assert [(h.phrase, h.start, h.end, h.suggestion) for h in found] == [
        (phrase, 2, 2 + len(phrase), suggestion)]
    assert text[found[0].start:found[0].end] == phrase


@pytest.mark.parametrize("phrase", ["I can't", "not my job", "no way", "but"])
def test_each_english_phrase_of_the_issue_is_found(db, phrase):
    assert hits(f"Well, {phrase} help.") == [(phrase, 6, 6 + len(phrase))]


def test_positions_are_in_characters_and_every_hit_is_listed_in_order(db):
    text = "您好！这个不行，我不能退款，但是可以换货。"

    assert hits(text) == [("不行", 5, 7), ("我不能", 8, 11), ("但是", 14, 16)]


def test_the_same_phrase_is_found_every_time_it_is_used(db):
    assert hits("不行就是不行") == [("不行", 0, 2), ("不行", 4, 6)]


def test_a_clean_reply_has_no_hits(db):
    assert hits("非常抱歉给您带来不便，我们马上为您补发。Sorry, we will reship today.") == []
    assert hits("") == []


def test_a_longer_phrase_wins_over_a_shorter_one_it_contains(db, shop):
    PhraseRule.objects.create(shop=shop, phrase="不可", suggestion="soften it")

    assert hits("这个不可以。", shop) == [("不可以", 2, 5)]


def test_the_phrase_check_is_not_fooled_by_mixed_languages(db):
    assert hits("Thanks, but 我不能 do that.") == [("but", 8, 11), ("我不能", 12, 15)]


# --- English: whole words, any case, curly apostrophes -------------------------------------------

@pytest.mark.parametrize("text", ["I CAN'T do that", "i can't do that", "I can’t do that",
                                  "I Can’T do that"])
def test_english_phrases_match_in_any_case_and_with_curly_apostrophes(db, text):
    assert matched(text) == [text[:7]]
    assert [h.phrase for h in check_phrases(text, rules_for(None))] == ["I can't"]


@pytest.mark.parametrize("text", ["Butter is on the way.", "A great debut.", "Rebuttal aside.",
                                  "We are not my jobless friends.", "That is noway wrong.",
                                  "Hi can't we talk?", "butt"])
def test_english_phrases_match_whole_words_only(db, text):
    assert hits(text) == []


@pytest.mark.parametrize(("text", "found"), [
    ("But we tried.", ["But"]), ("We tried, but.", ["but"]), ("(but)", ["but"]),
    ("No way!", ["No way"]), ("That's NOT MY JOB.", ["NOT MY JOB"]), ("but-but", ["but", "but"]),
])
def test_english_phrases_are_found_next_to_punctuation(db, text, found):
    assert matched(text) == found


def test_i_cannot_and_i_cant_are_both_found(db):
    assert [h[0] for h in hits("I cannot, I can't.")] == ["I cannot", "I can't"]


# --- per-shop rules -----------------------------------------------------------------------------

def test_a_shop_may_switch_a_default_off_for_itself_only(db, shop, other_shop):
    PhraseRule.objects.create(shop=shop, phrase="但是", suggestion="", enabled=False)

    assert hits("很好，但是贵。", shop) == []
    assert hits("很好，但是贵。", other_shop) == [("但是", 3, 5)]
    assert hits("很好，但是贵。") == [("但是", 3, 5)]


def test_a_shop_may_replace_a_defaults_suggestion(db, shop, other_shop):
    PhraseRule.objects.create(shop=shop, phrase="不行", suggestion="说明原因，再给出替代方案")

    assert check_phrases("不行", rules_for(shop))[0].suggestion == "说明原因，再给出替代方案"
    assert check_phrases("不行", rules_for(other_shop))[0].suggestion == "委婉地拒绝，并说明原因（因为……）"


def test_a_shop_may_add_its_own_phrase(db, shop, other_shop):
    PhraseRule.objects.create(shop=shop, phrase="亲，没办法", suggestion="我们来想想办法")

    assert hits("亲，没办法。", shop) == [("亲，没办法", 0, 5)]
    assert hits("亲，没办法。", other_shop) == []


def test_a_disabled_default_checks_nothing(db, shop):
    PhraseRule.objects.filter(shop=None, phrase="but").update(enabled=False)

    assert hits("Great, but late.", shop) == []


def test_a_shops_english_rule_typed_with_a_curly_apostrophe_matches_any_apostrophe_and_case(
    db, shop
):
    PhraseRule.objects.create(shop=shop, phrase="Don’t worry", suggestion="We are on it")

    assert matched("don't worry, we are on it", shop) == ["don't worry"]
    assert matched("DON’T WORRY!", shop) == ["DON’T WORRY"]
    assert matched("Don’t worrying", shop) == []


# --- outbound messages: saved, with the hits as warnings ----------------------------------------

def test_an_outbound_message_with_a_phrase_is_saved_with_the_hits_as_a_warning(api, shop, agent):
    case = open_case(shop, by=agent)
    events = TimelineEvent.objects.count()

    response = api(agent).post(contacts_url(case), {**MESSAGE, "body": "抱歉，我不能退全款。"},
                               format="json")

    assert response.status_code == 201
    hit = {"phrase": "我不能", "start": 3, "end": 6, "suggestion": "看看我们能够帮你做什么"}
    assert response.json()["phrase_hits"] == [hit]
    assert Contact.objects.get().body == "抱歉，我不能退全款。"
    assert TimelineEvent.objects.count() == events + 1
    event = TimelineEvent.objects.order_by("-id").first()
    assert (event.type, event.data["phrase_hits"]) == ("contact_logged", [hit])
    page = api(agent).get(f"/api/v1/cases/{case.pk}/").json()
    assert page["timeline"][-1]["data"]["phrase_hits"] == [hit]


def test_a_clean_outbound_message_has_no_warnings(api, shop, agent):
    case = open_case(shop, by=agent)

    response = api(agent).post(contacts_url(case), {**MESSAGE, "body": "您好，退款已处理。"},
                               format="json")

    assert response.status_code == 201
    assert response.json()["phrase_hits"] == []
    assert "phrase_hits" not in TimelineEvent.objects.order_by("-id").first().data


def test_calls_and_the_buyers_own_messages_are_not_phrase_checked(api, shop, agent):
    case = open_case(shop, by=agent)

    call = api(agent).post(contacts_url(case), {
        "channel": "call", "direction": "outbound", "outcome": "reached",
        "body": "买家说：我不能等了。"}, format="json")
    inbound = api(agent).post(contacts_url(case), {
        "channel": "chat", "direction": "inbound", "body": "不行，我要退款！"}, format="json")

    assert (call.status_code, call.json()["phrase_hits"]) == (201, [])
    assert (inbound.status_code, inbound.json()["phrase_hits"]) == (201, [])
    assert Contact.objects.count() == 2


def test_the_warning_follows_the_shops_own_rules(api, shop, agent):
    PhraseRule.objects.create(shop=shop, phrase="我不能", suggestion="", enabled=False)
    case = open_case(shop, by=agent)

    response = api(agent).post(contacts_url(case), {**MESSAGE, "body": "我不能退全款。"},
                               format="json")

    assert response.json()["phrase_hits"] == []
