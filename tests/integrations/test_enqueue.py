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
