"""A threat in the buyer's words on the pages and in the API: first in the queue, named with the
words on a badge (in the reader's language), `flags` on the case, `?flagged=1`; no query per row."""

from __future__ import annotations

import re
from datetime import timedelta

import yaml
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case
from tests.factories import open_case

THREAT = "不处理的话我就去法院起诉，还要曝光到微博"


def browser(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def row_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<a href="/cases/(\d+)/" class="open">', page)]


def due_in(case: Case, hours: float) -> None:
    Case.objects.filter(pk=case.pk).update(next_due_at=timezone.now() + timedelta(hours=hours))


def test_a_threatened_case_comes_first_in_the_queue_before_nearer_deadlines(shop, agent):
    near, threatened = open_case(shop, by=agent), open_case(shop, by=agent, description=THREAT)
    due_in(near, 1)
    due_in(threatened, 40)

    page = browser(agent).get("/?tab=all").content.decode()

    assert row_ids(page)[:2] == [threatened.pk, near.pk]
    # another sort the person chooses is theirs: by age the older one leads
    page = browser(agent).get("/?tab=all&sort=opened").content.decode()
    assert row_ids(page)[:2] == [near.pk, threatened.pk]


def test_the_badge_names_the_threat_and_the_words_in_english_and_chinese(shop, agent):
    case = open_case(shop, by=agent, description=THREAT)

    english = browser(agent, "en").get("/?tab=all").content.decode()
    chinese = browser(agent, "zh-hans").get("/?tab=all").content.decode()
    case_page = browser(agent, "zh-hans").get(f"/cases/{case.pk}/").content.decode()

    assert 'class="threat threat-legal"' in english
    assert 'Legal action <q translate="no">法院、起诉</q>' in english
    assert 'Public exposure <q translate="no">曝光</q>' in english
    assert '法律行动 <q translate="no">法院、起诉</q>' in chinese
    assert '公开曝光 <q translate="no">曝光</q>' in case_page
    assert "legal" not in re.sub(r'class="[^"]*"', "", english.split("<tbody>")[1])


def test_the_badges_cost_no_query_the_queue_asks_the_same_with_and_without_threats(shop, agent):
    for _ in range(5):
        open_case(shop, by=agent)
    client = browser(agent)
    with CaptureQueriesContext(connection) as plain:
        client.get("/?tab=all")

    for _ in range(20):
        open_case(shop, by=agent, description=THREAT)
    with CaptureQueriesContext(connection) as flagged:
        page = client.get("/?tab=all").content.decode()

    assert page.count('class="threat threat-legal"') == 20
    assert len(flagged) == len(plain)


def test_flagged_1_shows_only_the_threatened_cases_on_the_page_and_in_the_api(api, shop, agent):
    plain, threatened = open_case(shop, by=agent), open_case(shop, by=agent, description=THREAT)

    page = browser(agent).get("/?tab=all&flagged=1").content.decode()
    listed = api(agent).get("/api/v1/cases/?flagged=1").json()["results"]
    others = api(agent).get("/api/v1/cases/?flagged=false").json()["results"]

    assert row_ids(page) == [threatened.pk]
    assert [c["id"] for c in listed] == [threatened.pk]
    assert [c["id"] for c in others] == [plain.pk]
    assert api(agent).get("/api/v1/cases/?flagged=maybe").status_code == 400


def test_the_case_detail_carries_its_flags_with_code_and_matched(api, shop, agent):
    case = open_case(shop, by=agent, description=THREAT)

    flags = api(agent).get(f"/api/v1/cases/{case.pk}/").json()["flags"]

    assert [(f["code"], f["matched"]) for f in flags] == [
        ("legal", ["法院", "起诉"]), ("exposure", ["曝光"])]
    assert set(flags[0]) >= {"code", "matched"}
    assert api(agent).get(f"/api/v1/cases/{open_case(shop, by=agent).pk}/").json()["flags"] == []


def test_the_schema_documents_the_flags(db):
    schema = yaml.safe_load(Client().get("/api/schema/").content)

    flag = schema["components"]["schemas"]["ThreatFlag"]
    assert set(flag["required"]) >= {"code", "matched"}
    assert "flags" in schema["components"]["schemas"]["CaseDetail"]["properties"]
