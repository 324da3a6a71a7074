"""The benchmarks of `make bench` on tiny tables: they seed, measure and report."""

from notifications.models import Reminder


def test_the_sweep_benchmark_runs_and_delivers_every_due_reminder(db, capsys):
    from django.core.management import call_command

    call_command("bench_reminders", total=500, due=50, cases=20, runs=1, no_doc=True)

    out = capsys.readouterr().out
    assert "run 1: 50 delivered" in out
    assert Reminder.objects.count() == 500


def test_the_report_benchmark_runs_on_a_few_cases(db, capsys):
    from django.core.management import call_command

    call_command("bench_reports", cases=200, runs=1, no_doc=True)

    out = capsys.readouterr().out
    assert "| resolution-time by kind | 200 | 4 |" in out
