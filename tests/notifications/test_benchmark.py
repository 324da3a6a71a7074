"""`manage.py bench_reminders` (make bench) on a tiny table: it seeds, sweeps and reports."""

from notifications.models import Reminder


def test_the_sweep_benchmark_runs_and_delivers_every_due_reminder(db, capsys):
    from django.core.management import call_command

    call_command("bench_reminders", total=500, due=50, cases=20, runs=1, no_doc=True)

    out = capsys.readouterr().out
    assert "run 1: 50 delivered" in out
    assert Reminder.objects.count() == 500
