"""The case page's files: attach one (refusals shown beside the field), download, the evidence pack."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from cases.models import Attachment
from tests.factories import open_case, walk


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def test_an_agent_attaches_a_photo_and_sees_it_listed_with_the_evidence_pack_link(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/attachments/",
                           {"file": SimpleUploadedFile("裂痕.png", png())}, follow=True)

    page = response.content.decode()
    attachment = Attachment.objects.get()
    assert response.status_code == 200
    assert "裂痕.png" in page
    assert f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/" in page
    assert f"/api/v1/cases/{case.pk}/evidence-pack/" in page
    assert client.get(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/").status_code == 200


def test_a_program_is_refused_beside_the_field_and_nothing_is_kept(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/attachments/",
                           {"file": SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" * 100)})

    assert response.status_code == 302  # back to the case page, the refusal kept for it
    page = client.get(response["Location"]).content.decode()
    assert 'role="alert"' in page
    assert "Programs and scripts are never kept" in page
    assert not Attachment.objects.exists()


def test_a_teammate_cannot_attach_to_someone_elses_case(shop, agent, teammate, outsider):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    client = browser(teammate)

    response = client.post(f"/cases/{case.pk}/attachments/",
                           {"file": SimpleUploadedFile("a.png", png())})

    # the teammate may read the case, so is told why, on it; an outsider learns nothing
    assert response.status_code == 302
    assert "You may not work on this case." in client.get(response["Location"]).content.decode()
    assert browser(outsider).post(f"/cases/{case.pk}/attachments/",
                                  {"file": SimpleUploadedFile("a.png", png())}).status_code == 404
    assert not Attachment.objects.exists()
