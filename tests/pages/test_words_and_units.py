"""The pages name things in the reader's language and show figures as people read them: the
system's escalation reasons and the marketplace's rules by name, money as ¥128.00, durations as
2 d 14 h, shares as 85 %."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Case
from cases.templatetags.pages import duration_words, money, percent
from notifications.models import Notification, ReminderKind
from notifications.texts import render
from tests.factories import open_case, walk
from tests.notifications.helpers import deliver_due, later


def browser(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_figures_read_as_people_read_them():
    assert money("128", "CNY") == "¥128.00"
    assert money("1234.5", "USD") == "US$1,234.50"
    assert money("99", "CHF") == "99.00 CHF"
    assert money(None, "CNY") == "—"
    assert percent(0.8512) == "85 %"
    assert percent(None) == "—"
    assert duration_words(62.5) == "2 d 14 h"
    assert duration_words(3 + 20 / 60) == "3 h 20 min"
    assert duration_words(14 / 60) == "14 min"
    assert duration_words(0.001) == "under 1 min"


def test_the_queue_shows_the_claimed_amount_with_the_currency_sign(db, shop, agent):
    open_case(shop, by=agent, claimed_amount="128.00")

    page = browser(agent).get("/?tab=all").content.decode()

    assert "¥128.00" in page and "128.00 CNY" not in page


def test_the_escalations_page_gives_the_system_s_reason_in_chinese_and_a_person_s_as_typed(
    db, shop, agent, supervisor
):
    by_system = open_case(shop, by=None)
    services.escalate_breached_cases(now=later(hours=25))
    by_agent = walk(open_case(shop, by=agent), agent, "acknowledge")
    services.run_transition(case_id=by_agent.pk, name="escalate", by=agent,
                            data={"reason": "Buyer threatens a complaint."})
    assert Case.objects.get(pk=by_system.pk).state == "escalated"

    page = browser(supervisor, "zh-hans").get("/escalations/").content.decode()

    assert "首次回复期限已过，仍未回复。" in page
    assert "The first-response deadline passed" not in page
    assert '<td class="reason" translate="no">Buyer threatens a complaint.</td>' in page


def test_a_marketplace_deadline_notice_names_the_rule_in_the_reader_s_language(
    db, shop, agent, supervisor, settings
):
    from django.utils import translation

    from cases.models import MarketplaceRule

    settings.SITE_URL = ""
    MarketplaceRule.objects.get_or_create(
        platform="taobao", code="refund-unanswered",
        defaults={"kind": "refund", "trigger": "opened", "amount": 24, "unit": "hours",
                  "consequence": "The platform grants the refund automatically."})
    shop.platform = "taobao"
    shop.save()
    case = open_case(shop, by=agent)
    assert case.marketplace_rule == "refund-unanswered"

    deliver_due(now=case.marketplace_due_at + timedelta(minutes=1))

    notice = Notification.objects.filter(kind=ReminderKind.DEADLINE_BREACHED,
                                         data__deadline="marketplace").first()
    assert notice is not None
    with translation.override("zh-hans"):
        title, body = render(notice)
    assert title == f"案件 #{case.pk}：平台时限已过"
    assert "退款申请未及时处理" in body and "refund-unanswered" not in body


def test_the_reports_page_says_durations_and_shares_in_words_without_database_terms(
    db, shop, agent, supervisor
):
    import time_machine

    start = timezone.now() - timedelta(days=5)
    with time_machine.travel(start, tick=False):
        case = open_case(shop, by=agent)
    with time_machine.travel(start + timedelta(hours=2, minutes=30), tick=False):
        walk(case, agent, "acknowledge")

    page = browser(supervisor, "zh-hans").get("/reports/").content.decode()

    assert "首次回复用时" in page and "2 小时 30 分钟" in page and "100 %" in page
    for jargon in ("percentile_cont", "PostgreSQL", "median_hours", "first-response-time</h2>"):
        assert jargon not in page
