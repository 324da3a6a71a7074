"""The second set of default threat rules comes in by a data migration that keeps what shops and
admins already have, and going back removes only what it added."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0033_scorecard_message_index")]
AFTER = [("cases", "0034_more_default_threat_rules")]
ADDED = importlib.import_module("cases.migrations.0034_more_default_threat_rules").ADDED
LEGAL_TEAM = ADDED["legal"][0]  # "legal (team|department|…)"
LAW_FIRM = ADDED["legal"][1]


def migrate(to):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(to)
    return executor.loader.project_state(to).apps


def added_defaults(rules) -> set[tuple[str, str]]:
    wanted = {(code, pattern) for code, patterns in ADDED.items() for pattern in patterns}
    return set(rules.objects.filter(shop=None).values_list("code", "pattern")) & wanted


@pytest.mark.django_db(transaction=True)
def test_the_new_defaults_are_added_and_a_shops_own_edit_of_one_is_kept():
    # given, before: a shop that had switched "legal team" off for itself, and an admin who had
    # already made "law firm" a default and switched it off
    apps = migrate(BEFORE)
    shop = apps.get_model("cases", "Shop").objects.create(code="own", name="Own rules")
    other = apps.get_model("cases", "Shop").objects.create(code="other", name="Other shop")
    rules = apps.get_model("cases", "ThreatRule")
    rules.objects.create(shop=shop, code="legal", pattern=LEGAL_TEAM, enabled=False)
    rules.objects.create(shop=None, code="legal", pattern=LAW_FIRM, enabled=False)

    # when the migration runs
    migrate(AFTER)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    # then every new rule is a default, the admin's stays off, and the shop's own edit wins
    from cases.models import Shop, ThreatRule
    from cases.threats import find_threats, rules_for

    assert added_defaults(ThreatRule) == {
        (code, pattern) for code, patterns in ADDED.items() for pattern in patterns}
    assert ThreatRule.objects.get(shop=None, pattern=LAW_FIRM).enabled is False
    assert ThreatRule.objects.get(shop_id=shop.pk, pattern=LEGAL_TEAM).enabled is False
    text = "Expect to hear from my legal team"
    assert find_threats(text, rules_for(Shop.objects.get(pk=other.pk))) == {"legal": ["legal team"]}
    assert find_threats(text, rules_for(Shop.objects.get(pk=shop.pk))) == {}


@pytest.mark.django_db(transaction=True)
def test_going_back_removes_the_new_defaults_and_keeps_the_shops_own_rules():
    # given the new defaults, and a shop that switched one of them off after they came
    apps = migrate(AFTER)
    shop = apps.get_model("cases", "Shop").objects.create(code="own", name="Own rules")
    rules = apps.get_model("cases", "ThreatRule")
    rules.objects.create(shop=shop, code="legal", pattern=LEGAL_TEAM, enabled=False)
    rules.objects.get_or_create(shop=None, code="legal", pattern="律师")  # a default of before

    # when the migration is reversed
    rules = migrate(BEFORE).get_model("cases", "ThreatRule")
    left = added_defaults(rules)
    shops_own = list(rules.objects.filter(shop_id=shop.pk).values_list("pattern", "enabled"))
    older = rules.objects.filter(shop=None, pattern="律师").exists()
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    # then
    assert left == set()
    assert shops_own == [(LEGAL_TEAM, False)]
    assert older
