"""An evidence pack too large to send within a request: built by a worker, with a notification."""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services, tasks
from cases.evidence_pack import PackContents
from cases.models import Case, EvidencePack, PackState
from cases.services.evidence_packs import build_waiting_packs
from notifications.models import Notification, ReminderKind
from tests.factories import open_case
from tests.integrations.test_evidence_pack_streaming import stored_photo
from tests.notifications.test_celery_worker import wait_for
from tests.processes import Worker

MB = 1024 * 1024


@pytest.fixture
def enqueued(monkeypatch) -> list:
    """The build tasks sent to the broker (run by hand in the tests, as a worker would)."""
    sent: list = []
    monkeypatch.setattr(tasks.build_evidence_pack, "apply_async",
                        lambda args, **options: sent.append(args[0]))
    return sent


def pack_url(case: Case) -> str:
    return f"/api/v1/cases/{case.pk}/evidence-pack/"


# --- too large for a request: built by a worker ---------------------------------------------------


def test_a_pack_too_large_to_stream_is_built_by_a_worker_and_the_requester_is_told(
    api, case, agent, settings, enqueued, django_capture_on_commit_callbacks
):
    # given a case whose files pass the streaming limit
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 1 * MB
    photo = stored_photo(case, agent, 2 * MB)

    # when the agent asks for the pack
    with django_capture_on_commit_callbacks(execute=True):
        response = api(agent).get(pack_url(case))

    # then they are told it is being built, and one build is enqueued
    assert response.status_code == 202
    body = response.json()
    pack = EvidencePack.objects.get()
    assert (body["id"], body["state"]) == (pack.pk, "building")
    assert "notification" in body["detail"]
    assert body["url"].endswith(f"/api/v1/cases/{case.pk}/evidence-pack/{pack.pk}/")
    assert enqueued == [pack.pk]
    assert api(agent).get(body["url"]).status_code == 202  # not ready yet

    # when a worker builds it
    assert tasks.build_evidence_pack(pack.pk) is True

    # then the agent has a notification with the link, and downloads the ZIP
    notification = Notification.objects.get(recipient=agent)
    assert notification.kind == ReminderKind.EVIDENCE_PACK_READY
    assert notification.case_id == case.pk
    assert notification.data["url"] == f"/api/v1/cases/{case.pk}/evidence-pack/{pack.pk}/"
    listed = api(agent).get("/api/v1/notifications/").json()["results"][0]
    assert "evidence pack is ready" in listed["title"]
    assert notification.data["url"] in listed["body"]
    download = api(agent).get(body["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["X-Content-Type-Options"] == "nosniff"
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert zipped.read("attachments/photo.jpg") == photo.file.open("rb").read()


def test_asking_again_while_it_is_built_gives_the_same_build(api, case, agent, settings, enqueued,
                                                             django_capture_on_commit_callbacks):
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 1 * MB
    stored_photo(case, agent, 2 * MB)

    with django_capture_on_commit_callbacks(execute=True):
        first = api(agent).get(pack_url(case)).json()
        second = api(agent).get(pack_url(case)).json()

    assert first["id"] == second["id"]
    assert EvidencePack.objects.count() == 1
    assert len(enqueued) == 1


def test_a_build_run_twice_keeps_one_file_and_tells_once(api, case, agent, settings, enqueued, media):
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 1 * MB
    stored_photo(case, agent, 2 * MB)
    pack_id = api(agent).get(pack_url(case)).json()["id"]

    assert tasks.build_evidence_pack(pack_id) is True
    assert tasks.build_evidence_pack(pack_id) is False

    assert len(list((media / "evidence-packs").rglob("*.zip"))) == 1
    assert Notification.objects.filter(kind=ReminderKind.EVIDENCE_PACK_READY).count() == 1


def test_a_newer_pack_replaces_the_older_one_and_its_file(api, case, agent, settings, enqueued, media):
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 1 * MB
    stored_photo(case, agent, 2 * MB)
    first = api(agent).get(pack_url(case)).json()
    tasks.build_evidence_pack(first["id"])
    services.log_contact(case_id=case.pk, by=agent, data={
        "channel": "chat", "direction": "inbound", "body": "the case changed"})
    second = api(agent).get(pack_url(case)).json()
    tasks.build_evidence_pack(second["id"])

    assert list(EvidencePack.objects.values_list("id", flat=True)) == [second["id"]]
    assert len(list((media / "evidence-packs").rglob("*.zip"))) == 1
    assert api(agent).get(first["url"]).status_code == 404


def test_only_the_requester_downloads_a_built_pack(api, case, agent, supervisor, outsider, settings,
                                                   enqueued):
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 1 * MB
    stored_photo(case, agent, 2 * MB)
    url = api(agent).get(pack_url(case)).json()["url"]
    tasks.build_evidence_pack(EvidencePack.objects.get().pk)

    assert api(supervisor).get(url).status_code == 404
    assert api(outsider).get(url).status_code == 404
    assert api(None).get(url).status_code in (401, 403)
    assert api(agent).get(url).status_code == 200


def test_a_requester_who_left_the_shop_before_the_build_gets_no_pack(api, case, agent, shop,
                                                                       settings, enqueued):
    # given an agent who asked for a large pack, then left the shop
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 1 * MB
    stored_photo(case, agent, 2 * MB)
    url = api(agent).get(pack_url(case)).json()["url"]
    shop.members.remove(agent)

    # when the worker runs
    built = tasks.build_evidence_pack(EvidencePack.objects.get().pk)

    # then nothing is built, nobody is told, and the link answers 404
    assert built is False
    assert EvidencePack.objects.get().state == PackState.FAILED
    assert not Notification.objects.filter(kind=ReminderKind.EVIDENCE_PACK_READY).exists()
    assert api(agent).get(url).status_code == 404


def test_the_case_page_offers_the_built_pack_to_whoever_asked(client, case, agent, teammate,
                                                               supervisor, settings, enqueued):
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 1 * MB
    stored_photo(case, agent, 2 * MB)
    client.force_login(supervisor)
    client.get(pack_url(case))
    building = client.get(f"/cases/{case.pk}/").content.decode()
    tasks.build_evidence_pack(EvidencePack.objects.get().pk)

    ready = client.get(f"/cases/{case.pk}/").content.decode()
    client.force_login(agent)
    someone_else = client.get(f"/cases/{case.pk}/").content.decode()

    assert "is being built" in building
    link = f"/api/v1/cases/{case.pk}/evidence-pack/{EvidencePack.objects.get().pk}/"
    assert link in ready and "Download the evidence pack built at" in ready
    assert link not in someone_else


def test_a_build_whose_task_was_lost_is_built_by_the_next_sweep(api, case, agent, settings, enqueued):
    # given a pack asked for while the broker was down (its task never reached a worker)
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 1 * MB
    stored_photo(case, agent, 2 * MB)
    api(agent).get(pack_url(case))
    pack = EvidencePack.objects.get()
    now = timezone.now()

    # when the sweep runs: not yet after 30 s (the task may still come), after two minutes it does
    assert build_waiting_packs(now=now + timedelta(seconds=30)) == 0
    assert build_waiting_packs(now=now + timedelta(minutes=2)) == 1

    # then the pack is ready and the agent was told
    assert EvidencePack.objects.get(pk=pack.pk).state == PackState.READY
    assert Notification.objects.filter(recipient=agent, kind=ReminderKind.EVIDENCE_PACK_READY).exists()


def test_a_build_a_worker_is_running_is_not_started_again_until_its_claim_is_stale(
    api, case, agent, settings, enqueued
):
    # given a pack a worker claimed a minute ago (still building)
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 1 * MB
    stored_photo(case, agent, 2 * MB)
    api(agent).get(pack_url(case))
    now = timezone.now()
    EvidencePack.objects.update(started_at=now - timedelta(minutes=1))

    # then a second run leaves it, and the sweep too
    assert tasks.build_evidence_pack(EvidencePack.objects.get().pk) is False
    assert build_waiting_packs(now=now) == 0
    # and once the claim is stale (the worker died), the sweep takes it over
    assert build_waiting_packs(now=now + timedelta(minutes=15)) == 1
    assert EvidencePack.objects.get().state == PackState.READY


def test_the_sweep_runs_every_minute(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["build-waiting-evidence-packs"]

    assert schedule["task"] == "cases.tasks.build_waiting_evidence_packs"
    assert schedule["schedule"] == 60


@pytest.mark.services
def test_a_real_worker_and_beat_build_a_pack_whose_task_was_lost(
    transactional_db, api, shop, agent, settings, enqueued, media, tmp_path
):
    # given a large pack asked for through the API two minutes ago, its task lost (broker down)
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 1 * MB
    case = open_case(shop, by=agent)
    photo = stored_photo(case, agent, 2 * MB)
    url = api(agent).get(pack_url(case)).json()["url"]
    EvidencePack.objects.update(requested_at=timezone.now() - timedelta(minutes=2))

    # when a Celery worker and beat run (same database and files; the sweep every second)
    worker = Worker(tmp_path, f"test-{uuid.uuid4().hex[:10]}", MEDIA_ROOT=str(media),
                    EVIDENCE_PACK_SWEEP_SECONDS="1")
    try:
        wait_for(lambda: EvidencePack.objects.filter(state=PackState.READY).exists(), 90, worker)
    finally:
        worker.stop()

    # then the agent was told once, and downloads the pack the worker wrote
    assert Notification.objects.filter(recipient=agent,
                                       kind=ReminderKind.EVIDENCE_PACK_READY).count() == 1
    download = api(agent).get(url)
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert zipped.read("attachments/photo.jpg") == photo.file.open("rb").read()


def test_asking_again_after_the_build_leads_to_it_until_the_case_changes(
    api, case, agent, settings, enqueued
):
    # given a pack built for the agent
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 1 * MB
    stored_photo(case, agent, 2 * MB)
    first = api(agent).get(pack_url(case)).json()
    tasks.build_evidence_pack(first["id"])

    # when they ask again: they are sent to it
    again = api(agent).get(pack_url(case))
    assert again.status_code == 303
    assert again["Location"] == f"/api/v1/cases/{case.pk}/evidence-pack/{first['id']}/"

    # and once the case changed (a message logged), asking again builds a new one
    services.log_contact(case_id=case.pk, by=agent, data={
        "channel": "chat", "direction": "inbound", "body": "还有一张照片"})
    after_change = api(agent).get(pack_url(case))
    assert after_change.status_code == 202
    assert after_change.json()["id"] != first["id"]


def test_a_build_that_breaks_is_marked_failed_and_asking_again_starts_anew(
    api, case, agent, settings, enqueued, monkeypatch
):
    settings.EVIDENCE_PACK_STREAM_MAX_BYTES = 1 * MB
    stored_photo(case, agent, 2 * MB)
    first = api(agent).get(pack_url(case)).json()

    def disk_full(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(PackContents, "chunks", disk_full)
    with pytest.raises(OSError):
        tasks.build_evidence_pack(first["id"])

    assert EvidencePack.objects.get(pk=first["id"]).state == PackState.FAILED
    assert api(agent).get(first["url"]).status_code == 404
    again = api(agent).get(pack_url(case))
    assert again.status_code == 202 and again.json()["id"] != first["id"]
