"""Cases opened before each case kept its own buyer details carry those the buyer had on record."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0014_webhook_event_headers")]
AFTER = [("cases", "0015_buyer_details_kept_per_case")]


@pytest.mark.django_db(transaction=True)
def test_cases_opened_before_carry_the_details_their_buyer_had_on_record():
    # given a case of the schema before, whose buyer has a phone on record
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    shop = apps.get_model("cases", "Shop").objects.create(code="old", name="Old shop")
    buyer = apps.get_model("cases", "Customer").objects.create(
        shop=shop, handle="tb_old", name="王芳", phone="13800138000", address="浙江省杭州市文三路")
    case = apps.get_model("cases", "Case").objects.create(shop=shop, kind="refund", customer=buyer)
    without_buyer = apps.get_model("cases", "Case").objects.create(shop=shop, kind="refund")

    # when the migration runs
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    # then the case carries them, and a case without a buyer carries none
    from cases.models import Case

    assert Case.objects.values_list("buyer_name", "buyer_phone", "buyer_address").get(
        pk=case.pk) == ("王芳", "13800138000", "浙江省杭州市文三路")
    assert Case.objects.values_list("buyer_phone", flat=True).get(pk=without_buyer.pk) == ""
