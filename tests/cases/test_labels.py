"""Every code people could see has a name in both languages: events, transitions, marketplace
rules, remedies in errors, phrase hits, the system's reasons."""

from __future__ import annotations

import importlib

import pytest
from django.utils import translation

from cases import events
from cases.models import Case, Kind, Remedy
from cases.models.marketplace import RULE_NAMES, rule_name
from cases.phrases import check_phrases, describe
from cases.services.escalation import BREACH_REASONS
from cases.webhooks import MARKETPLACE_ESCALATED
from cases.workflows import registered_kinds, transition_label, transitions_of

EVENT_TYPES = sorted(value for name, value in vars(events).items()
                     if name.isupper() and isinstance(value, str) and name not in ("EVENT_TEXT",))


def in_chinese(text: object) -> str:
    with translation.override("zh-hans"):
        return str(text)


def chinese(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_every_event_type_that_is_not_a_transition_has_a_label_in_both_languages():
    assert EVENT_TYPES, "no event types found in cases/events.py"
    for event_type in EVENT_TYPES:
        label = events.LABELS.get(event_type)
        assert label is not None, f"event {event_type} has no label in events.LABELS"
        assert str(label) != event_type
        assert in_chinese(label) != str(label), f"“{label}” has no Chinese"


@pytest.mark.parametrize("kind", [Kind.REFUND, Kind.NON_DELIVERY, Kind.NOT_AS_DESCRIBED,
                                  Kind.NEGATIVE_REVIEW])
def test_every_transition_of_every_workflow_has_a_label_in_both_languages(kind):
    assert set(registered_kinds()) >= {kind}
    case = Case(kind=kind)
    for name in transitions_of(case):
        label = transition_label(case, name)
        assert label != name.replace("_", " "), f"{kind}: transition {name} has no label"
        with translation.override("zh-hans"):
            assert events.event_label(case, name) != label, f"“{label}” has no Chinese"


def test_a_timeline_event_is_named_by_its_label_never_its_code():
    case = Case(kind=Kind.NEGATIVE_REVIEW)
    with translation.override("zh-hans"):
        assert events.event_label(case, events.CASE_OPENED) == "案件已创建"
        assert events.event_label(case, "request_revision") == "请求修改评价"


def test_every_seeded_marketplace_rule_has_a_name_in_both_languages():
    seeded = importlib.import_module("cases.migrations.0009_marketplace_rules").RULES
    for platform, code, *_rest in seeded:
        assert code in RULE_NAMES, f"{platform}:{code} has no name"
        english = rule_name(code)
        with translation.override("zh-hans"):
            assert rule_name(code) != english, f"“{code}” has no Chinese name"
    with translation.override("zh-hans"):
        assert rule_name("refund-unanswered") == "退款申请未及时处理"
        assert rule_name("a-rule-an-admin-added") == "平台时限"


def test_the_system_s_escalation_reasons_are_translated():
    for reason in [*BREACH_REASONS.values(), MARKETPLACE_ESCALATED]:
        assert chinese(reason) != reason, f"“{reason}” has no Chinese"
        assert events.reason_text(reason, by_system=True) == reason  # English stays English
    with translation.override("zh-hans"):
        assert events.reason_text(BREACH_REASONS["resolution"], by_system=True) == "解决期限已过。"
        typed = "The resolution deadline passed."  # typed by a person: as typed
        assert events.reason_text(typed, by_system=False) == typed


def test_a_phrase_hit_is_quoted_in_its_context_not_at_a_character_position():
    text = "亲，非常抱歉，我不能马上退款，请您理解"
    [hit] = check_phrases(text, {"我不能": "看看我们能够帮你做什么"})

    with translation.override("zh-hans"):
        said = describe(text, hit)

    assert said == "“亲，非常抱歉，我不能马上退款，请您理解”中的“我不能”：建议改说“看看我们能够帮你做什么”。"
    assert str(hit.start) not in said


def test_a_long_text_is_cut_around_the_hit_between_words():
    text = "Hello, thank you for waiting so long. " * 3 + "Unfortunately I can't refund it today."
    [hit] = check_phrases(text, {"I can't": "Let's see what we can do"})

    assert describe(text, hit) == ("“I can't” in “…I can't refund it…”: say instead “Let's see "
                                   "what we can do”.")


def test_a_remedy_that_does_not_fit_the_kind_is_refused_naming_the_remedies_in_words(
        api, shop, agent):
    from tests.factories import open_case, walk

    case = walk(open_case(shop, by=agent, kind=Kind.REFUND), agent, "acknowledge", "calm", "listen")

    response = api(agent).post(f"/api/v1/cases/{case.pk}/transitions/propose/",
                               {"remedy": Remedy.RESHIP}, format="json",
                               HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 400
    [message] = response.json()["errors"]["remedy"]
    assert message == "此类案件请从以下方案中选择：全额退款、部分退款。"
    assert "full_refund" not in message
