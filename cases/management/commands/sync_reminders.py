"""Give open cases the reminders their deadlines call for (cases from before reminders existed).

Idempotent: a reminder that exists already is not made again (its idempotency key).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from cases import deadlines
from cases.models import Case, State
from cases.reminders import reminders_for
from notifications.models import Reminder


class Command(BaseCommand):
    help = "Make the reminders of every open case from its deadlines (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=1000, help="cases per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        open_cases = Case.objects.exclude(state=State.CLOSED).select_related("shop").order_by("id")
        clocks: dict[tuple[int, str], deadlines.Clock] = {}
        made = 0
        with tqdm(total=open_cases.count(), unit="case", file=self.stderr._out,
                  disable=options["verbosity"] < 1) as bar:
            last = 0
            while True:
                chunk = list(open_cases.filter(id__gt=last)[:options["chunk"]])
                if not chunk:
                    break
                with transaction.atomic():
                    wanted = []
                    for case in chunk:
                        key = (case.shop_id, case.kind)
                        if key not in clocks:  # one clock per shop and kind, not per case
                            clocks[key] = deadlines.clock_for(case.shop, case.kind)
                        deadlines.refresh(case)
                        wanted += reminders_for(case, clocks[key], now)
                    Case.objects.bulk_update(chunk, ["next_due_at"])
                    made += len(Reminder.objects.bulk_create(wanted, ignore_conflicts=True))
                last = chunk[-1].pk
                bar.update(len(chunk))
        self.stdout.write(f"Reminders made or already there: {made}.")
