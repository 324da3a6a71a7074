"""One sweep, delivered in this process: no worker or broker needed (the same functions as the beat)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from notifications.delivery import deliver_reminders
from notifications.models import Reminder, ReminderState
from notifications.sweep import Claim, sweep


class Command(BaseCommand):
    help = "Claim the reminders that are due and deliver them now, in this process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=None,
                            help="reminders claimed at a time (default REMINDER_BATCH_SIZE)")
        parser.add_argument("--max-batches", type=int, default=None,
                            help="stop after this many batches (default REMINDER_MAX_BATCHES)")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        due = Reminder.objects.filter(state=ReminderState.PENDING, due_at__lte=timezone.now()).count()
        with tqdm(total=due, unit="reminder", disable=not due or options["verbosity"] < 1,
                  file=self.stderr._out) as bar:
            def deliver(claim: Claim) -> object:
                outcome = deliver_reminders(claim.ids, claim.token)
                bar.update(len(claim.ids))
                return outcome

            report = sweep(batch_size=options["batch_size"], max_batches=options["max_batches"],
                           deliver=deliver)
        self.stdout.write(
            f"{report.claimed} claimed: {report.delivered} delivered, {report.cancelled} cancelled, "
            f"{report.rescheduled} rescheduled, {report.failed} failed."
        )
