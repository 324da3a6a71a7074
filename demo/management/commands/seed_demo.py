"""`manage.py seed_demo`: the demo shop, its staff and a few hundred cases in every state.

Safe to run again. Each demo case has a stable marketplace id (DEMO-0001, ... for the disputes;
the reviews TB-RV-0001, ... open the negative-review cases review:TB-RV-0001, ...) and is built in
one transaction through the services (open_case, run_transition, log_contact, claim_case), so a
case is either complete or absent: a second run finds them all and only adds the missing ones. The
logins (password `demo`), their roles and shop memberships are reset on every run.

Texts and choices come from a random generator seeded per case number, so DEMO-0007 reads the same
on every machine. Each story is told under a moving clock (demo/story_clock.py): every step runs at
the moment it happened, days or weeks before the run, and so do the worker's escalations and
reminders in between, so the timeline, the contacts, the deadlines and the notifications all carry
the story's times, and the first sweep after seeding finds only what is due now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from cases.models import Case, Shop
from config.enqueue import Held, held
from config.service_errors import ServiceError
from demo.approvals import approval_limits_lifted, ensure_approval_cases
from demo.building import build_case, ensure_api_token, ensure_staff, quiet_hours_lifted, summary
from demo.quick_replies import ensure_quick_replies
from demo.review_scenarios import plan_review
from demo.review_stories import REVIEW_EXTERNAL_ID_PREFIX, review_external_id
from demo.scenarios import plan_case
from demo.stories import EXTERNAL_ID_PREFIX, SHOP_CODE, CasePlan, SeedError, external_id
from demo.walkthrough import WALKTHROUGH_ID, ensure_walkthrough_case
from demo.worker_jobs import VECTORS, enqueue_what_seeding_needs

# --- the command ---------------------------------------------------------------------------------


def _missing(shop: Shop, prefix: str, count: int, name: Callable[[int], str]
             ) -> tuple[int, list[int]]:
    existing = set(Case.objects.filter(shop=shop, external_id__startswith=prefix)
                   .values_list("external_id", flat=True))
    return len(existing), [n for n in range(1, count + 1) if name(n) not in existing]


class Command(BaseCommand):
    help = (
        "Create the demo shop `demo`, its logins (agent1, agent2, supervisor1, admin; password "
        "demo), a few hundred dispute cases and some negative-review cases in every state. Safe "
        "to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=300,
                            help="How many demo dispute cases the shop should have (default 300).")
        parser.add_argument("--reviews", type=int, default=70,
                            help="How many demo negative-review cases (中差评) it should have "
                                 "(default 70).")

    def handle(self, *args: Any, cases: int, reviews: int, verbosity: int = 1,
               **options: Any) -> None:
        if cases < 0 or reviews < 0:
            raise CommandError("--cases and --reviews must be 0 or more.")
        # Each case's commit would enqueue its own sweep and vectors: held, and what the seeded
        # shop needs enqueued once at the end (demo/worker_jobs.py), even when a case failed.
        kept: list[Held] = []
        try:
            with held() as kept:
                self._seed(cases, reviews, verbosity)
        finally:
            left = enqueue_what_seeding_needs(kept)
        if left[VECTORS]:
            self.stdout.write(f"Left to the worker: the similar cases' vectors of the new cases "
                              f"({left[VECTORS]} tasks).")

    def _seed(self, cases: int, reviews: int, verbosity: int = 1) -> None:
        now = timezone.now()
        shop, users = ensure_staff()
        ensure_api_token(shop)
        ensure_quick_replies(shop, users["supervisor1"])
        had_cases, missing_cases = _missing(shop, EXTERNAL_ID_PREFIX, cases, external_id)
        had_reviews, missing_reviews = _missing(shop, REVIEW_EXTERNAL_ID_PREFIX, reviews,
                                                review_external_id)
        failures: list[str] = []
        if not missing_cases and not missing_reviews:
            self.stdout.write(f"The demo data is already there ({had_cases} demo cases and "
                              f"{had_reviews} demo review cases in shop {SHOP_CODE}); logins "
                              "reset.")
        else:
            if had_cases or had_reviews:
                self.stdout.write(f"{had_cases} demo cases and {had_reviews} review cases already "
                                  f"there; adding {len(missing_cases)} and "
                                  f"{len(missing_reviews)}.")
            with quiet_hours_lifted(shop), approval_limits_lifted(shop):
                for desc, missing, plan in (("Seeding demo cases", missing_cases, plan_case),
                                            ("Seeding review cases", missing_reviews, plan_review)):
                    failures += self._build(desc, missing, plan, users, now, verbosity)
        if ensure_approval_cases(now):
            self.stdout.write("Two refunds above the shop's approval limit (APPROVE-0001 awaits "
                              "supervisor1's approval, APPROVE-0002 was approved).")
        if ensure_walkthrough_case(now) is not None:
            self.stdout.write(f"The walk-through case {WALKTHROUGH_ID} (docs/guide.md) is waiting, "
                              "unassigned; its buyer may be called at any hour.")
        for line in summary(shop, timezone.now()):
            self.stdout.write(line)
        if failures:
            raise CommandError(f"{len(failures)} demo cases could not be built:\n"
                               + "\n".join(failures))

    def _build(self, desc: str, numbers: Iterable[int], plan_for: Callable[[int, datetime],
               CasePlan], users: dict[str, Any], now: datetime, verbosity: int) -> list[str]:
        failures = []
        numbers = list(numbers)
        if not numbers:
            return failures
        bar = tqdm(numbers, desc=desc, unit="case", disable=verbosity == 0,
                   file=self.stderr._out, dynamic_ncols=True)
        for number in bar:
            plan = plan_for(number, now)
            try:
                build_case(plan, users, now)
            except (ServiceError, SeedError) as error:
                detail = getattr(error, "errors", None) or error
                failures.append(f"{plan.external_id} ({plan.scenario}, {plan.kind}): {detail}")
        bar.close()
        return failures
