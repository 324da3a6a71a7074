"""A web process enqueues tasks it never imported: services name their tasks by dotted path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django, sys
django.setup()
assert "notifications.tasks" not in sys.modules
from config.enqueue import enqueue_on_commit
enqueue_on_commit("notifications.tasks.sweep_due_reminders")   # outside a transaction: at once
"""


def test_a_process_that_never_imported_the_tasks_modules_still_enqueues(tmp_path):
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path),
           "CELERY_BROKER_URL": "filesystem://", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert "Could not enqueue" not in result.stderr
    messages = list((tmp_path / "broker" / "out").iterdir())
    assert len(messages) == 1
    assert "notifications.tasks.sweep_due_reminders" in messages[0].read_text()


def test_enqueues_held_are_kept_for_the_caller_and_a_rolled_back_one_is_not(
    transactional_db, monkeypatch
):
    from django.db import transaction

    from config.enqueue import Held, enqueue_on_commit, held
    from notifications.tasks import sweep_due_reminders

    sent = []
    monkeypatch.setattr(sweep_due_reminders, "apply_async", lambda args, **kw: sent.append(args))

    # given three transactions inside held(): two commit, one rolls back
    with held() as kept:
        with transaction.atomic():
            enqueue_on_commit("notifications.tasks.sweep_due_reminders")
        with transaction.atomic():
            enqueue_on_commit("cases.tasks.represent_cases", [7, 8])
        try:
            with transaction.atomic():
                enqueue_on_commit("cases.tasks.represent_cases", [9])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    # then nothing was sent; what the commits asked for is kept, in order
    assert sent == []
    assert kept == [Held("notifications.tasks.sweep_due_reminders", ()),
                    Held("cases.tasks.represent_cases", ([7, 8],))]

    # and outside held() an enqueue is sent again
    with transaction.atomic():
        enqueue_on_commit("notifications.tasks.sweep_due_reminders")
    assert sent == [()]
