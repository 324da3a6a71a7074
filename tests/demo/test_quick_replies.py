"""The demo's quick replies: a useful set in both languages that the demo shop's rules accept."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from cases.models import CannedReply, Shop
from cases.phrases import check_phrases, rules_for
from cases.reply_variables import unknown
from demo.building import ensure_staff
from demo.quick_replies import QUICK_REPLIES, ensure_quick_replies

pytestmark = pytest.mark.django_db


def test_the_demo_set_passes_the_demo_shops_phrase_rules_and_knows_its_variables():
    shop, _users = ensure_staff()
    rules = rules_for(shop)

    for replies in QUICK_REPLIES.values():
        for shortcut, _kind, _step, _title, body in replies:
            assert check_phrases(body, rules) == [], shortcut
            assert unknown(body) == [], shortcut


def test_each_language_has_a_useful_set_with_the_usual_shortcuts():
    for replies in QUICK_REPLIES.values():
        shortcuts = [shortcut for shortcut, *_rest in replies]
        assert 8 <= len(replies) <= 12
        assert {"hi", "sorry", "refund", "track", "revise"} <= set(shortcuts)
        assert len(set(shortcuts)) == len(shortcuts)


def test_seeding_saves_them_through_the_service_once():
    shop, users = ensure_staff()

    added = ensure_quick_replies(shop, users["supervisor1"])
    again = ensure_quick_replies(shop, users["supervisor1"])

    assert added == sum(len(replies) for replies in QUICK_REPLIES.values()) and again == 0
    assert set(CannedReply.objects.values_list("language", flat=True)) == {"zh-hans", "en"}
    assert CannedReply.objects.filter(created_by=User.objects.get(username="supervisor1")).count() \
        == added
    assert CannedReply.objects.filter(shop=Shop.objects.get(code="demo"),
                                      kind="negative_review", step="request_revision").count() == 2
