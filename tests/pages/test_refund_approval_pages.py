"""Supervisors' pages for refund approval: the refunds awaiting them come first on the escalations
page, and a settings page sets the shop's three limits (bad input: the reason, what was typed kept)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from cases import services
from cases.models import Shop
from tests.factories import UserFactory, open_case, walk

UNDERSTOOD = ("acknowledge", "calm", "listen")


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def awaiting(shop, agent, amount="100.00"):
    case = walk(open_case(shop, by=agent), agent, *UNDERSTOOD)
    return services.run_transition(case_id=case.pk, name="propose", by=agent,
                                   data={"remedy": "partial_refund", "amount": amount})


@pytest.fixture
def shop(shop):
    shop.refund_approval_above = Decimal("50.00")
    shop.save()
    return shop


def test_refunds_awaiting_approval_come_first_on_the_escalations_page(shop, agent, supervisor):
    case = awaiting(shop, agent)
    walk(open_case(shop, by=agent), agent, "acknowledge", "escalate")

    page = browser(supervisor).get("/escalations/").content.decode()

    assert page.index("Refunds awaiting your approval") < page.index("Escalated cases")
    assert f'<a href="/cases/{case.pk}/">{case.pk}</a>' in page
    assert "¥100.00" in page and "of ¥128.00 paid" in page
    assert "above the shop&#x27;s limit of ¥50.00" in page
    assert f"/cases/{case.pk}/transitions/approve_remedy/" in page


def test_the_escalations_page_is_in_chinese_too(shop, agent, supervisor):
    awaiting(shop, agent)

    page = browser(supervisor).get("/escalations/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "待您审批的退款" in page
    assert "超过店铺限额" in page


def test_an_approval_from_the_escalations_page_returns_to_it(shop, agent, supervisor):
    case = awaiting(shop, agent)

    response = browser(supervisor).post(f"/cases/{case.pk}/transitions/approve_remedy/",
                                        {"next": "/escalations/"})

    assert response.status_code == 302
    assert response["Location"] == "/escalations/"
    case.refresh_from_db()
    assert case.state == "proposed"


def test_the_waiting_refunds_cost_the_same_queries_for_1_as_for_10(
        shop, agent, supervisor, django_assert_num_queries):
    client = browser(supervisor)
    awaiting(shop, agent)
    client.get("/escalations/")
    with django_assert_num_queries(10) as one:
        client.get("/escalations/")
    for _ in range(9):
        awaiting(shop, agent)

    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/escalations/")


# --- the settings page -------------------------------------------------------------------------------


def test_a_supervisor_sets_the_three_limits(shop, supervisor):
    client = browser(supervisor)

    response = client.post("/refund-approval/", {
        "shop": shop.code, "refund_approval_above": "800", "refund_approval_share": "0.5",
        "refund_approval_after_refunds": "3"})

    assert response.status_code == 302
    shop.refresh_from_db()
    assert (shop.refund_approval_above, shop.refund_approval_share,
            shop.refund_approval_after_refunds) == (Decimal("800"), Decimal("0.5"), 3)


def test_empty_fields_mean_no_approval(shop, supervisor):
    browser(supervisor).post("/refund-approval/", {
        "shop": shop.code, "refund_approval_above": "", "refund_approval_share": " ",
        "refund_approval_after_refunds": ""})

    shop.refresh_from_db()
    assert (shop.refund_approval_above, shop.refund_approval_share,
            shop.refund_approval_after_refunds) == (None, None, None)


@pytest.mark.parametrize(("field", "typed", "reason"), [
    ("refund_approval_share", "1.5", "Give a share from 0 to 1"),
    ("refund_approval_share", "-0.1", "Give a share from 0 to 1"),
    ("refund_approval_share", "half", "Give a share from 0 to 1"),
    ("refund_approval_above", "-1", "The amount cannot be negative"),
    ("refund_approval_above", "lots", "Give an amount such as 500"),
    ("refund_approval_after_refunds", "-2", "The count cannot be negative"),
    ("refund_approval_after_refunds", "2.5", "Give a whole number of refunds"),
])
def test_bad_input_says_why_keeps_what_was_typed_and_changes_nothing(shop, supervisor, field,
                                                                      typed, reason, before):
    data = {"shop": shop.code, "refund_approval_above": "700", "refund_approval_share": "0.4",
            "refund_approval_after_refunds": "2", field: typed}
    unchanged = before()

    response = browser(supervisor).post("/refund-approval/", data)

    page = response.content.decode()
    assert response.status_code == 400
    assert reason in page
    assert f'value="{typed}"' in page
    assert unchanged()


def test_the_edges_are_allowed(shop, supervisor):
    browser(supervisor).post("/refund-approval/", {
        "shop": shop.code, "refund_approval_above": "0", "refund_approval_share": "1",
        "refund_approval_after_refunds": "0"})

    shop.refresh_from_db()
    assert (shop.refund_approval_above, shop.refund_approval_share,
            shop.refund_approval_after_refunds) == (Decimal("0"), Decimal("1"), 0)


def test_agents_may_not_open_the_settings_page(shop, agent):
    assert browser(agent).get("/refund-approval/").status_code == 403
    assert browser(agent).post("/refund-approval/", {"shop": shop.code}).status_code == 403


def test_a_supervisor_cannot_set_another_shops_limits(shop, other_shop, supervisor, before):
    unchanged = before()

    response = browser(supervisor).post("/refund-approval/", {
        "shop": other_shop.code, "refund_approval_above": "1"})

    assert response.status_code == 404
    assert unchanged()


def test_the_settings_page_shows_the_limits_in_chinese(shop, supervisor):
    Shop.objects.filter(pk=shop.pk).update(refund_approval_share=Decimal("0.25"))

    page = browser(supervisor).get("/refund-approval/",
                                   HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "退款审批限额" in page
    assert 'value="0.250"' in page


def test_the_admin_validates_the_share(client, shop):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(f"/admin/cases/shop/{shop.pk}/change/")

    assert "refund_approval_share" in response.content.decode()


def test_the_amount_says_its_currency_and_the_waiting_refunds_are_a_link_away(
        shop, supervisor):
    english = browser(supervisor).get("/refund-approval/").content.decode()
    chinese = browser(supervisor).get("/refund-approval/",
                                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "In the order&#x27;s currency: 1000 means ¥1,000.00 for an order paid in yuan." in english
    assert 'href="/escalations/"' in english
    assert "以人民币支付的订单，1000 即 ¥1,000.00。" in chinese
    assert "等待您审批的退款排在升级投诉页面的最前面。" in chinese
