from cases.models import Case
from tests.factories import case_payload


def test_errors_come_in_chinese_when_the_browser_asks_for_it(api, shop, agent):
    payload = case_payload(shop, order={"number": "TB1", "paid_amount": "50.00"},
                           claimed_amount="80.00")

    response = api(agent).post("/api/v1/cases/", payload, format="json",
                               HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")

    assert response.status_code == 400
    assert response.json()["detail"] == "提交的数据无效。"
    assert response.json()["errors"]["claimed_amount"] == ["买家申请的金额不能超过实付金额（50.00）。"]
    assert Case.objects.count() == 0


def test_errors_come_in_english_by_default(api, shop, agent):
    response = api(agent).post("/api/v1/cases/999/transitions/calm/", {}, format="json")
    assert response.json() == {"detail": "There is no case 999."}


def test_every_message_has_its_chinese_translation():
    import re
    from pathlib import Path

    po = (Path(__file__).resolve().parents[2] / "config/locale/zh_Hans/LC_MESSAGES/django.po")
    entries = re.findall(r'\nmsgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', po.read_text() + "\n")
    untranslated = [i for i, s in entries if i.strip() != '""' and s.strip() == '""']

    assert entries and not untranslated, "run `make messages` and translate: " + "".join(untranslated)
