"""The evidence pack (/api/v1/cases/{id}/evidence-pack/): one ZIP for the marketplace, PII masked."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases import services
from cases.evidence_pack import mask_address, prepare_evidence_pack
from cases.models import Case, Kind
from cases.services import attach_file
from tests.factories import open_case, step, walk

PHONE = "13800138000"
ADDRESS = "上海市浦东新区世纪大道100号3栋502室"
SCRIPT = '<script>alert("pwned")</script>'


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "PNG")
    return out.getvalue()


def attach(case: Case, by: User, name: str, content: bytes) -> None:
    attach_file(case_id=case.pk, by=by, upload=SimpleUploadedFile(name, content))


def log_message(case: Case, by: User, body: str) -> None:
    services.log_contact(case_id=case.pk, by=by, data={
        "channel": "chat", "direction": "inbound", "body": body})


@pytest.fixture
def case(shop, agent) -> Case:
    """An item-not-as-described case going to the platform: heard, with evidence and photos."""
    case = open_case(shop, by=agent, kind=Kind.NOT_AS_DESCRIBED, customer={
        "handle": "buyer_pack", "name": "王芳", "phone": "13800138000", "address": ADDRESS})
    walk(case, agent, "acknowledge", "calm")
    step(case, "listen", agent, evidence=[
        {"photo": "IMG_2031.jpg", "description": f"crack along the rim {SCRIPT}"}])
    log_message(case, agent, "杯子收到就是裂的，我要退货。")
    attach(case, agent, "photo.png", png("red"))
    attach(case, agent, "photo.png", png("blue"))
    return Case.objects.get(pk=case.pk)


def pack_url(case: Case) -> str:
    return f"/api/v1/cases/{case.pk}/evidence-pack/"


def download(api, user, case) -> zipfile.ZipFile:
    response = api(user).get(pack_url(case), HTTP_ACCEPT="application/zip")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="evidence-pack-case-{case.pk}-')
    assert response["X-Content-Type-Options"] == "nosniff"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_pack_opens_with_the_summary_the_logs_and_the_files(api, case, agent):
    pack = download(api, agent, case)

    assert sorted(pack.namelist()) == [
        "attachments/photo (2).png", "attachments/photo.png", "contacts.csv", "summary.html",
        "timeline.csv"]
    assert pack.testzip() is None
    # both files called photo.png are there, in upload order
    first, second = case.attachments.order_by("uploaded_at", "id")
    assert pack.read("attachments/photo.png") == first.file.open("rb").read()
    assert pack.read("attachments/photo (2).png") == second.file.open("rb").read()


def test_the_summary_shows_the_case_the_timeline_and_the_evidence(api, case, agent):
    summary = download(api, agent, case).read("summary.html").decode()

    assert case.order.number in summary
    assert "Item not as described" in summary
    assert "The buyer needs the money back before the weekend." in summary  # the core problem
    for event_type in ("case_opened", "acknowledge", "calm", "listen", "contact_logged",
                       "attachment_added"):
        assert f"<td>{event_type}</td>" in summary
    assert "杯子收到就是裂的，我要退货。" in summary
    assert "IMG_2031.jpg" in summary
    assert "photo (2).png" in summary
    assert "<link" not in summary and "src=" not in summary  # self-contained


def test_html_in_a_description_is_escaped(api, case, agent):
    summary = download(api, agent, case).read("summary.html").decode()

    assert "<script" not in summary
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in summary


def test_the_buyers_phone_and_address_are_masked_everywhere_in_the_pack(api, case, supervisor):
    # even for a supervisor, who sees the full phone on the case page: the pack leaves the shop
    pack = download(api, supervisor, case)
    summary = pack.read("summary.html").decode()

    assert "138****8000" in summary
    assert "上海市浦东新****" in summary
    for name in pack.namelist():
        content = pack.read(name)
        assert PHONE.encode() not in content
        assert ADDRESS.encode() not in content
        assert "世纪大道".encode() not in content


def test_the_csv_files_list_every_event_and_contact(api, case, agent):
    pack = download(api, agent, case)

    timeline = list(csv.reader(io.StringIO(pack.read("timeline.csv").decode("utf-8-sig"))))
    contacts = list(csv.reader(io.StringIO(pack.read("contacts.csv").decode("utf-8-sig"))))

    assert timeline[0] == ["At", "Event", "By", "From", "To", "Details"]
    assert [row[1] for row in timeline[1:]] == list(
        case.timeline.order_by("at", "id").values_list("type", flat=True))
    assert contacts[0][:2] == ["At", "Channel"]
    assert contacts[1][5] == "杯子收到就是裂的，我要退货。"


def test_a_formula_in_a_message_is_not_run_by_a_spreadsheet(api, case, agent):
    log_message(case, agent, '=HYPERLINK("http://evil.example","click")')

    contacts = download(api, agent, case).read("contacts.csv").decode("utf-8-sig")

    assert "'=HYPERLINK" in contacts


def test_the_headings_follow_the_language(api, case, agent):
    response = api(agent).get(pack_url(case), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert '<html lang="zh-hans">' in zipfile.ZipFile(io.BytesIO(content)).read(
        "summary.html").decode()


def test_a_file_missing_from_storage_is_listed_as_missing(case, agent):
    case.attachments.first().file.storage.delete(case.attachments.first().file.name)

    contents = prepare_evidence_pack(case.pk, agent)

    pack = zipfile.ZipFile(io.BytesIO(b"".join(contents.chunks())))
    assert "attachments/photo.png" not in pack.namelist()
    assert "missing from storage" in pack.read("summary.html").decode()


def test_an_address_keeps_only_its_first_six_characters():
    assert mask_address(ADDRESS) == "上海市浦东新****"
    assert mask_address("") == ""


def test_another_shops_agent_and_anonymous_users_get_no_pack(api, case, outsider):
    assert api(outsider).get(pack_url(case)).status_code == 404
    assert api(None).get(pack_url(case)).status_code in (401, 403)
    assert api(outsider).get("/api/v1/cases/999999999999999999/evidence-pack/").status_code == 404


@pytest.mark.parametrize("messages", [1, 25])
def test_the_pack_costs_the_same_queries_however_long_the_timeline(
        api, case, agent, messages, django_assert_max_num_queries):
    for i in range(messages):
        log_message(case, agent, f"message {i}")
    fresh = User.objects.get(pk=agent.pk)  # nothing cached from earlier requests

    # the user's groups and shops, the case, its timeline, contacts, evidence and attachments
    with django_assert_max_num_queries(7):
        response = api(fresh).get(pack_url(case))

    assert response.status_code == 200
