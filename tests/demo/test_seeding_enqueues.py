"""Seeding the demo enqueues what the seeded shop needs of the worker, once: no reminder sweep per
case (the story clock delivered every reminder due), its cases' vectors in a few batches. Counted on
a real broker on the file system (the one `make run` uses), each case's transaction committed."""

from __future__ import annotations

import base64
import json
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from kombu import pools as kombu_pools

from cases.assistant.text import buyer_text
from cases.models import Case
from cases.services.vectors import represent_cases
from config.celery import app
from demo.worker_jobs import SWEEP, VECTOR_BATCH, VECTORS
from notifications.models import Notification, Reminder, ReminderState
from tests.demo.test_seed_demo import SMALL, SMALL_REVIEWS


def reset_pools() -> None:
    """Celery's pools of connections and producers, made afresh for the broker now set (kombu
    keeps producer pools per broker address: one closed here would be handed to later tests)."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    kombu_pools.reset()


@pytest.fixture
def file_broker(tmp_path):
    """Celery publishes to a broker on the file system in tmp_path: one file per task enqueued."""
    saved = app.conf.broker_url, app.conf.broker_transport_options
    out = tmp_path / "out"
    out.mkdir()
    app.conf.broker_url = "filesystem://"
    app.conf.broker_transport_options = {"data_folder_in": str(out), "data_folder_out": str(out),
                                         "processed_folder": str(tmp_path / "processed"),
                                         "store_processed": False,
                                         "control_folder": str(tmp_path / "control")}
    reset_pools()
    yield out
    app.conf.broker_url, app.conf.broker_transport_options = saved
    reset_pools()


def enqueued(folder: Path) -> list[tuple[str, list]]:
    """(task, args) of each message in the broker's folder."""
    found = []
    for path in sorted(folder.iterdir()):
        message = json.loads(path.read_text())
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        found.append((message["headers"]["task"], args))
    return found


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", cases=SMALL, reviews=SMALL_REVIEWS, verbosity=0, stdout=out,
                 stderr=StringIO())
    return out.getvalue()


def test_seeding_enqueues_no_sweep_and_each_cases_vectors_once_in_a_few_batches(
    transactional_db, file_broker
):
    # given an empty database, each demo case built in a transaction that commits

    # when the demo is seeded
    started = timezone.now()
    said = seed()

    # then no reminder sweep was enqueued, only the vectors, in batches of the backfill's size
    tasks = enqueued(file_broker)
    names = Counter(name for name, _args in tasks)
    cases = Case.objects.count()
    assert names[SWEEP] == 0
    assert set(names) == {VECTORS}
    assert names[VECTORS] == -(-cases // VECTOR_BATCH)  # a handful, not one per commit
    assert "Left to the worker" in said
    # every seeded case once, all of them
    ids = [case_id for _name, (batch,) in tasks for case_id in batch]
    assert sorted(ids) == sorted(set(ids)) == sorted(Case.objects.values_list("pk", flat=True))
    assert all(len(batch) <= VECTOR_BATCH for _name, (batch,) in tasks)

    # and a sweep would have had nothing to deliver: every reminder due by then is done
    assert not Reminder.objects.filter(state=ReminderState.PENDING, due_at__lte=started).exists()
    assert Notification.objects.exists()  # the story clock delivered them as the stories went


def test_the_vectors_the_worker_computes_are_those_of_every_case_with_buyer_text(
    transactional_db, file_broker
):
    seed()

    # when the worker runs the enqueued tasks
    written = sum(represent_cases(batch) for _name, (batch,) in enqueued(file_broker))

    # then every case with a buyer's text has its vector, as the per-commit tasks gave it
    with_text = [case for case in Case.objects.select_related("review").prefetch_related("contacts")
                 if buyer_text(case)]
    assert written == len(with_text) > 0


def test_seeding_again_enqueues_nothing(transactional_db, file_broker):
    seed()
    for path in file_broker.iterdir():
        path.unlink()

    said = seed()

    assert enqueued(file_broker) == []
    assert "Left to the worker" not in said
