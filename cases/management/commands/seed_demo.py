"""`manage.py seed_demo`: the demo shop, its staff and a few hundred cases in every state.

Safe to run again. Each demo case has a stable marketplace id (DEMO-0001, ...) and is built in one
transaction through the services (open_case, run_transition, log_contact, claim_case), so a case
is either complete or absent: a second run finds them all and only adds the missing ones. The
logins (password `demo`), their roles and shop memberships are reset on every run.

Texts and choices come from a random generator seeded per case number, so DEMO-0007 reads the same
on every machine. After a case is built its own times (opened, deadlines, first response, calm,
resolution, closure) are moved back into the past ~60 days with one `Case` update; the timeline and
the contacts keep the moment of seeding (they are append-only).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from cases.demo.building import build_case, ensure_staff, quiet_hours_lifted, summary
from cases.demo.scenarios import plan_case
from cases.demo.stories import EXTERNAL_ID_PREFIX, SHOP_CODE, SeedError, external_id
from cases.errors import CaseError
from cases.models import Case

# --- the command ---------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Create the demo shop `demo`, its logins (agent1, agent2, supervisor1, admin; password "
        "demo) and a few hundred dispute cases in every state. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=300,
                            help="How many demo cases the shop should have (default 300).")

    def handle(self, *args: Any, cases: int, verbosity: int = 1, **options: Any) -> None:
        if cases < 0:
            raise CommandError("--cases must be 0 or more.")
        now = timezone.now()
        shop, users = ensure_staff()
        existing = set(
            Case.objects.filter(shop=shop, external_id__startswith=EXTERNAL_ID_PREFIX)
            .values_list("external_id", flat=True)
        )
        missing = [n for n in range(1, cases + 1) if external_id(n) not in existing]
        failures: list[str] = []
        if not missing:
            self.stdout.write(f"The demo data is already there ({len(existing)} demo cases in shop "
                              f"{SHOP_CODE}); logins reset.")
        else:
            if existing:
                self.stdout.write(f"{len(existing)} demo cases already there; adding "
                                  f"{len(missing)}.")
            bar = tqdm(missing, desc="Seeding demo cases", unit="case", disable=verbosity == 0,
                       file=self.stderr._out, dynamic_ncols=True)
            with quiet_hours_lifted(shop):
                for number in bar:
                    plan = plan_case(number, now)
                    try:
                        build_case(plan, users, now)
                    except (CaseError, SeedError) as error:
                        detail = getattr(error, "errors", None) or error
                        failures.append(
                            f"{plan.external_id} ({plan.scenario}, {plan.kind}): {detail}"
                        )
            bar.close()
        for line in summary(shop, timezone.now()):
            self.stdout.write(line)
        if failures:
            raise CommandError(f"{len(failures)} demo cases could not be built:\n"
                               + "\n".join(failures))


