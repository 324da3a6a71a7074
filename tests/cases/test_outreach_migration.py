"""Contacts logged before answers were told apart from outreach: every outbound one stays counted
by the contact limit, and the phrase warnings kept on the timeline are copied onto the message."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0019_canned_replies")]
AFTER = [("cases", "0020_contact_outreach_phrase_hits_sent_through")]
HIT = {"phrase": "我不能", "start": 0, "end": 3, "suggestion": "看看我们能够帮你做什么"}


@pytest.mark.django_db(transaction=True)
def test_outbound_contacts_logged_before_stay_outreach_with_their_phrase_warnings():
    # given contacts of the schema before: the buyer's message, the agent's message with a hit
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    shop = apps.get_model("cases", "Shop").objects.create(code="old", name="Old shop")
    case = apps.get_model("cases", "Case").objects.create(shop=shop, kind="refund")
    Contact = apps.get_model("cases", "Contact")
    inbound = Contact.objects.create(case=case, channel="chat", direction="inbound", body="在吗？")
    outbound = Contact.objects.create(case=case, channel="chat", direction="outbound",
                                      body="我不能马上退款。")
    apps.get_model("cases", "TimelineEvent").objects.create(
        case=case, type="contact_logged", from_state="new", to_state="new",
        data={"contact_id": outbound.pk, "channel": "chat", "direction": "outbound",
              "outcome": "", "body": "我不能马上退款。", "phrase_hits": [HIT]})

    # when the migration runs
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    # then
    from cases.models import Contact as Now

    assert Now.objects.values_list("outreach", "phrase_hits").get(pk=outbound.pk) == (True, [HIT])
    assert Now.objects.values_list("outreach", "phrase_hits").get(pk=inbound.pk) == (False, [])
