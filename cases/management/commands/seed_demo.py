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

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from tqdm import tqdm

from cases import demo_texts as texts
from cases import services
from cases.deadlines import DEFAULT_DEADLINES
from cases.errors import CaseError
from cases.models import Case, ClosedAs, Kind, Shop, State, TimelineEvent
from cases.models.dispute import BEFORE_RESOLUTION, REMEDIES_BY_KIND
from cases.rules import AGENT, SUPERVISOR
from cases.services.escalation import FIRST_RESPONSE_MISSED, RESOLUTION_MISSED

SHOP_CODE = "demo"
SHOP_NAME = "Demo Shop 演示店铺"
SHOP_TIME_ZONE = "Asia/Shanghai"
PASSWORD = "demo"
AGENTS = ("agent1", "agent2")
SUPERVISOR_USERNAME = "supervisor1"
ADMIN_USERNAME = "admin"
# username → (group, is_staff, is_superuser, member of the demo shop)
STAFF: dict[str, tuple[str | None, bool, bool, bool]] = {
    "agent1": (AGENT, False, False, True),
    "agent2": (AGENT, False, False, True),
    SUPERVISOR_USERNAME: (SUPERVISOR, True, False, True),
    ADMIN_USERNAME: (None, True, True, False),
}

EXTERNAL_ID_PREFIX = "DEMO-"
SEED = 20261124
KINDS = (Kind.REFUND, Kind.NON_DELIVERY, Kind.NOT_AS_DESCRIBED)
HOUR = timedelta(hours=1)
MONEY_FAMILY = {"full_refund": "refund", "partial_refund": "refund", "return_and_refund": "refund",
                "reship": "reship", "exchange": "exchange"}


def external_id(number: int) -> str:
    return f"{EXTERNAL_ID_PREFIX}{number:04d}"


@dataclass(frozen=True)
class Step:
    """One service call: a transition's name, "claim" or "contact"; `by` None is the system."""

    action: str
    by: str | None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class CasePlan:
    number: int
    kind: str
    scenario: str
    expected_state: str
    payload: dict[str, Any]
    steps: list[Step]
    age: timedelta  # opened this long before the run
    offsets: list[timedelta]  # when each step happened, after the opening

    @property
    def external_id(self) -> str:
        return external_id(self.number)


class SeedError(Exception):
    """A demo case did not end where its scenario says (a bug in the plan, not in the data)."""


# --- one case's story: its texts and the steps that tell it ---------------------------------------


class Story:
    """Everything random about one demo case, drawn from a generator seeded by its number."""

    def __init__(self, number: int, kind: str, opened: datetime) -> None:
        self.rng = rng = random.Random(f"{SEED}-{number}")
        self.number = number
        self.kind = kind
        self.opened = opened
        self.lang = 1 if rng.random() < 0.2 else 0  # index into the (zh, en) pairs
        self.agent = rng.choice(AGENTS)
        self.other = next(a for a in AGENTS if a != self.agent)
        self.product = rng.choice(texts.PRODUCTS)
        self.paid = self._price()
        self.order_number = f"{rng.randint(1, 4)}{rng.randint(10**12, 10**13 - 1)}{number:05d}"
        self.values: dict[str, Any] = {}  # what the templates' {placeholders} are filled with
        self.values.update(
            product=self.t(self.product.name),
            order=self.order_number,
            carrier=self.t(rng.choice(texts.CARRIERS)),
            city=self.t(rng.choice(texts.CITIES)),
            days=rng.randint(6, 15),
            defect=self.t(rng.choice(self.product.defects)),
            issue=self.t(rng.choice(self.product.issues)),
        )
        self.tracking_status = ""
        self.description, core = self._complaint()
        self.core_problem = self.t(core[:2])
        self.remedy = core[2]

    # texts
    def t(self, pair: texts.Text, **values: Any) -> str:
        return pair[self.lang].format(**{**self.values, **values})

    def pick(self, options: Sequence[texts.Text], **values: Any) -> str:
        return self.t(self.rng.choice(options), **values)

    def nick(self, username: str) -> str:
        return texts.AGENT_NICKS[username][self.lang]

    def _price(self) -> Decimal:
        low, high = self.product.price
        price = self.rng.randint(low, high)
        price = min(high, max(low, price - price % 10 + self.rng.choice((9, 9, 8, 0))))
        cents = self.rng.choice(("00", "00", "00", "90", "80"))
        return Decimal(f"{price}.{cents}")

    def _share(self, low: float, high: float) -> Decimal:
        """Part of the paid amount, in whole yuan, at least 1 and below the paid amount."""
        share = int(self.paid * Decimal(str(round(self.rng.uniform(low, high), 2))))
        return Decimal(max(1, min(share, int(self.paid) - 1)))

    def _complaint(self) -> tuple[str, tuple[str, str, str]]:
        """The description the marketplace sends, and the buyer's core problem with its remedy."""
        rng = self.rng
        self.partial = self._share(0.2, 0.5) if self.kind == Kind.REFUND else self._share(0.1, 0.3)
        self.claimed: Decimal | None = self.paid
        if self.kind == Kind.REFUND:
            reason = rng.choices(("defect", "unopened", "price"), weights=(6, 2, 2))[0]
            if reason == "price":
                self.partial = self._share(0.05, 0.25)
                self.claimed = self.partial
                templates = texts.REFUND_PRICE
            else:
                templates = texts.REFUND_DEFECT if reason == "defect" else texts.REFUND_UNOPENED
            core = rng.choice(texts.CORE_PROBLEMS[f"refund_{reason}"])
            if core[2] == "partial_refund" and reason == "defect":
                self.claimed = self.partial
            return self.pick(templates, diff=self.partial), core
        if self.kind == Kind.NON_DELIVERY:
            self.tracking_status = rng.choice(list(texts.NON_DELIVERY))
            self.claimed = self.paid if rng.random() < 0.5 else None
            description = self.pick(texts.NON_DELIVERY[self.tracking_status])
            return description, rng.choice(texts.CORE_PROBLEMS["non_delivery"])
        self.claimed = self.paid if rng.random() < 0.5 else None
        if self.product.coloured and rng.random() < 0.4:
            listed, received = rng.sample(texts.COLOURS, 2)
            self.values["issue"] = self.t(("颜色偏{received}", "looks {received}"),
                                          received=self.t(received))
            description = self.pick(texts.NAD_COLOUR, listed=self.t(listed),
                                    received=self.t(received))
        else:
            description = self.pick(texts.NAD_ISSUE)
        return description, rng.choice(texts.CORE_PROBLEMS["not_as_described"])

    def payload(self) -> dict[str, Any]:
        """What the marketplace sends to open the case (like tests/factories.py case_payload)."""
        handles = texts.HANDLES_EN if self.lang else texts.HANDLES_ZH
        handle = self.rng.choice(handles)
        if self.rng.random() < 0.5:
            handle = f"{handle}_{self.rng.randint(10, 999)}"
        buyer = random.Random(handle)  # the same handle is the same buyer in every case
        if self.lang:
            name = buyer.choice(texts.NAMES_EN)
        else:
            name = buyer.choice(texts.SURNAMES) + buyer.choice(texts.GIVEN_NAMES)
        phone = buyer.choice(texts.PHONE_PREFIXES) + f"{buyer.randint(0, 10**8 - 1):08d}"
        payload: dict[str, Any] = {
            "kind": self.kind,
            "shop": SHOP_CODE,
            "external_id": external_id(self.number),
            "description": self.description,
            "order": {"number": self.order_number, "paid_amount": str(self.paid),
                      "currency": "CNY"},
            "customer": {"handle": handle, "name": name, "phone": phone},
        }
        if self.claimed is not None:
            payload["claimed_amount"] = str(self.claimed)
        return payload

    # steps
    def first_message(self) -> list[Step]:
        """Sometimes the buyer wrote before the first reply."""
        if self.rng.random() < 0.4:
            return [Step("contact", self.agent, {
                "channel": "chat", "direction": "inbound",
                "body": self.pick(texts.BUYER_FIRST_MESSAGES[self.kind]),
            })]
        return []

    def acknowledge(self) -> Step:
        options = texts.ACKNOWLEDGE["any"] + texts.ACKNOWLEDGE[self.kind]
        return Step("acknowledge", self.agent, {
            "message": self.pick(options, agent=self.nick(self.agent)),
        })

    def calm(self, by: str) -> Step:
        return Step("calm", by, {"note": self.pick(texts.CALM_NOTES)})

    def listen(self, by: str) -> Step:
        data: dict[str, Any] = {"core_problem": self.core_problem}
        if self.kind == Kind.NON_DELIVERY:
            data["tracking_status"] = self.tracking_status
        if self.kind == Kind.NOT_AS_DESCRIBED or (
            self.kind == Kind.REFUND and self.rng.random() < 0.3
        ):
            data["evidence"] = self._evidence()
        return Step("listen", by, data)

    def _evidence(self) -> list[dict[str, str]]:
        items = []
        for _ in range(self.rng.choice((1, 1, 2))):
            taken = self.opened - timedelta(minutes=self.rng.randint(10, 3000))
            photo = self.rng.choice((
                f"IMG_{taken:%Y%m%d_%H%M}.jpg",
                f"mmexport{int(taken.timestamp() * 1000)}.jpg",
                f"Screenshot_{taken:%Y-%m-%d-%H-%M-%S}.png",
            ))
            item = {"photo": photo}
            if self.rng.random() < 0.6:
                item["description"] = self.pick(texts.EVIDENCE_NOTES)
            items.append(item)
        return items

    def _proposal(self, remedy: str, amount: Decimal | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"remedy": remedy}
        if remedy == "partial_refund":
            data["amount"] = str(amount or self.partial)
        return data

    def propose(self, by: str) -> Step:
        return Step("propose", by, self._proposal(self.remedy))

    def propose_and_reject(self, by: str) -> list[Step]:
        """A first proposal the buyer turns down, with their reason (the wanted remedy follows)."""
        wanted = self.remedy
        if wanted == "partial_refund":
            first = self._proposal(wanted, Decimal(max(1, int(self.partial) // 2)))
            reason = texts.REJECT_REASONS[wanted][0]
        else:
            others = [r for r in REMEDIES_BY_KIND[self.kind] if r != wanted]
            alternative = "exchange" if wanted == "return_and_refund" else self.rng.choice(others)
            first = self._proposal(alternative)
            options = texts.REJECT_REASONS[wanted]
            not_reshipped = wanted == "full_refund" and alternative == "reship"
            reason = options[1] if not_reshipped else options[0]
        return [Step("propose", by, first), Step("reject", by, {"reason": self.t(reason)})]

    def accept(self, by: str) -> Step:
        if self.rng.random() < 0.3:
            return Step("accept", by, {})
        note = self.pick(texts.ACCEPT_NOTES[self.remedy], amount=self.partial)
        return Step("accept", by, {"note": note})

    def escalate(self, by: str | None, reason: str | None = None) -> Step:
        return Step("escalate", by, {"reason": reason or self.pick(texts.ESCALATE_REASONS)})

    def hand_over(self, to: str) -> Step:
        reason = self.pick(texts.HAND_OVER_REASONS, to=self.nick(to))
        return Step("hand_over", SUPERVISOR_USERNAME, {"to": to, "reason": reason})

    def withdraw(self, by: str) -> Step:
        return Step("withdraw", by, {"reason": self.pick(texts.WITHDRAW_REASONS[self.kind])})

    def follow_up(self, by: str) -> list[Step]:
        """After the resolution: the buyer is reached and the shop speaks last (close's guard)."""
        call = {"channel": "call", "direction": "outbound", "outcome": "reached",
                "body": self.pick(texts.FOLLOW_UP_CALLS[MONEY_FAMILY[self.remedy]])}
        variant = self.rng.randrange(3)
        if variant == 0:
            return [Step("contact", by, call)]
        if variant == 1:
            return [self.no_answer(by), Step("contact", by, call)]
        return [
            Step("contact", by, {"channel": "chat", "direction": "inbound",
                                 "body": self.pick(texts.BUYER_THANKS)}),
            Step("contact", by, {"channel": "chat", "direction": "outbound",
                                 "body": self.pick(texts.SHOP_LAST_WORDS)}),
        ]

    def no_answer(self, by: str) -> Step:
        return Step("contact", by, {"channel": "call", "direction": "outbound",
                                    "outcome": "no_answer",
                                    "body": self.pick(texts.NO_ANSWER_NOTES)})

    def close(self, by: str) -> Step:
        if self.rng.random() < 0.5:
            return Step("close", by, {})
        return Step("close", by, {"note": self.pick(texts.CLOSE_NOTES)})

    def reopen(self, by: str) -> Step:
        """The problem came back; the next cycle listens for what the buyer needs now."""
        family = MONEY_FAMILY[self.remedy]
        step = Step("reopen", by, {"reason": self.pick(texts.REOPEN_REASONS[family])})
        zh, en, remedy = texts.REOPEN_CORE_PROBLEMS[family]
        self.core_problem = self.t((zh, en))
        self.remedy = remedy or self.remedy
        return step

    def to_resolved(self, by: str) -> list[Step]:
        return [self.acknowledge(), self.calm(by), self.listen(by), self.propose(by),
                self.accept(by)]

    def closed_as_resolved(self, by: str) -> list[Step]:
        return [*self.to_resolved(by), *self.follow_up(by), self.close(by)]


# --- scenarios: where each case ends and how it gets there ----------------------------------------


def _new_unassigned(s: Story) -> list[Step]:
    return []


def _new_claimed(s: Story) -> list[Step]:
    return [Step("claim", s.agent)]


def _acknowledged(s: Story) -> list[Step]:
    return [*s.first_message(), s.acknowledge()]


def _calmed(s: Story) -> list[Step]:
    return [*s.first_message(), s.acknowledge(), s.calm(s.agent)]


def _understood(s: Story) -> list[Step]:
    return [*s.first_message(), s.acknowledge(), s.calm(s.agent), s.listen(s.agent)]


def _understood_after_reject(s: Story) -> list[Step]:
    return [*_understood(s), *s.propose_and_reject(s.agent)]


def _proposed(s: Story) -> list[Step]:
    return [*_understood(s), s.propose(s.agent)]


def _proposed_after_reject(s: Story) -> list[Step]:
    return [*_understood_after_reject(s), s.propose(s.agent)]


def _resolved(s: Story) -> list[Step]:
    after = s.rng.choice((
        [],
        [s.no_answer(s.agent)],
        [Step("contact", s.agent, {"channel": "call", "direction": "outbound",
                                   "outcome": "do_not_contact",
                                   "body": s.pick(texts.DO_NOT_CONTACT_NOTES)})],
    ))
    return [*s.first_message(), *s.to_resolved(s.agent), *after]


def _closed(s: Story) -> list[Step]:
    return [*s.first_message(), *s.closed_as_resolved(s.agent)]


def _withdrawn(s: Story) -> list[Step]:
    a = s.agent
    return s.rng.choice((
        [s.withdraw(a)],  # an agent acting on a new case claims it
        [s.acknowledge(), s.withdraw(a)],
        [s.acknowledge(), s.calm(a), s.listen(a), s.withdraw(a)],
        [s.acknowledge(), s.calm(a), s.escalate(a), s.withdraw(SUPERVISOR_USERNAME)],
    ))


def _escalated_by_agent(s: Story) -> list[Step]:
    listened = [s.listen(s.agent)] if s.rng.random() < 0.5 else []
    return [s.acknowledge(), s.calm(s.agent), *listened, s.escalate(s.agent)]


def _escalated_by_system(s: Story) -> list[Step]:
    if s.rng.random() < 0.5:
        return [s.escalate(None, FIRST_RESPONSE_MISSED)]  # nobody answered: stays unassigned
    return [s.acknowledge(), s.escalate(None, RESOLUTION_MISSED)]


def _supervisor_resolves_escalation(s: Story) -> list[Step]:
    sup = SUPERVISOR_USERNAME
    return [s.acknowledge(), s.calm(s.agent), s.listen(s.agent), s.escalate(s.agent),
            s.propose(sup), s.accept(sup), *s.follow_up(sup), s.close(sup)]


def _handed_over(s: Story) -> list[Step]:
    a, b = s.agent, s.other
    return [s.acknowledge(), s.calm(a), s.hand_over(b), s.calm(b), s.listen(b)]


def _handed_over_after_escalation_closed(s: Story) -> list[Step]:
    a, b = s.agent, s.other
    return [s.acknowledge(), s.calm(a), s.escalate(a), s.hand_over(b),
            s.calm(b), s.listen(b), s.propose(b), s.accept(b), *s.follow_up(b), s.close(b)]


def _handed_over_after_rejection_resolved(s: Story) -> list[Step]:
    a, b = s.agent, s.other
    return [s.acknowledge(), s.calm(a), s.listen(a), *s.propose_and_reject(a), s.hand_over(b),
            s.calm(b), s.listen(b), s.propose(b), s.accept(b)]


def _unanswered_escalation_handed_over(s: Story) -> list[Step]:
    return [s.escalate(None, FIRST_RESPONSE_MISSED), s.hand_over(s.agent), s.calm(s.agent)]


def _reopened(s: Story) -> list[Step]:
    return [*s.closed_as_resolved(s.agent), s.reopen(s.agent)]


def _reopened_and_proposed_again(s: Story) -> list[Step]:
    a = s.agent
    return [*_reopened(s), s.calm(a), s.listen(a), s.propose(a)]


Ages = Callable[[random.Random], tuple[float, float]]  # (age, duration) in hours


def _fresh_or_overdue(fresh: tuple[float, float], overdue: tuple[float, float], share: float
                      ) -> Ages:
    def ages(rng: random.Random) -> tuple[float, float]:
        age = rng.uniform(*(overdue if rng.random() < share else fresh))
        return age, age * rng.uniform(0.3, 0.9)
    return ages


def _spans(age: tuple[float, float], duration: tuple[float, float]) -> Ages:
    def ages(rng: random.Random) -> tuple[float, float]:
        a = rng.uniform(*age)
        return a, min(rng.uniform(*duration), a * 0.95)
    return ages


NEW_AGES = _fresh_or_overdue((0.1, 20), (26, 96), 0.2)
OPEN_AGES = _fresh_or_overdue((1, 60), (80, 240), 0.15)
ESCALATED_AGES = _fresh_or_overdue((40, 120), (120, 480), 0.5)
LATE_AGES = _spans((130, 480), (125, 130))  # the system escalated after the deadlines passed
RESOLVED_AGES = _spans((24, 336), (4, 96))
CLOSED_AGES = _spans((72, 1440), (12, 144))
# Reopened and handed-over cases keep their first deadlines: some are still within them.
REOPENED_AGES = _fresh_or_overdue((48, 70), (96, 400), 0.5)
HANDED_AFTER_SWEEP_AGES = _fresh_or_overdue((40, 70), (40, 70), 0.0)


@dataclass(frozen=True)
class Scenario:
    expected_state: str
    steps: Callable[[Story], list[Step]]
    ages: Ages
    weight: int


SCENARIOS: dict[str, Scenario] = {
    "new_unassigned": Scenario(State.NEW, _new_unassigned, NEW_AGES, 3),
    "new_claimed": Scenario(State.NEW, _new_claimed, NEW_AGES, 1),
    "acknowledged": Scenario(State.ACKNOWLEDGED, _acknowledged, OPEN_AGES, 2),
    "calmed": Scenario(State.CALMED, _calmed, OPEN_AGES, 2),
    "understood": Scenario(State.UNDERSTOOD, _understood, OPEN_AGES, 2),
    "understood_after_reject": Scenario(State.UNDERSTOOD, _understood_after_reject, OPEN_AGES, 1),
    "proposed": Scenario(State.PROPOSED, _proposed, OPEN_AGES, 2),
    "proposed_after_reject": Scenario(State.PROPOSED, _proposed_after_reject, OPEN_AGES, 1),
    "resolved": Scenario(State.RESOLVED, _resolved, RESOLVED_AGES, 3),
    "closed": Scenario(State.CLOSED, _closed, CLOSED_AGES, 5),
    "withdrawn": Scenario(State.CLOSED, _withdrawn, CLOSED_AGES, 2),
    "escalated_by_agent": Scenario(State.ESCALATED, _escalated_by_agent, ESCALATED_AGES, 2),
    "escalated_by_system": Scenario(State.ESCALATED, _escalated_by_system, LATE_AGES, 1),
    "supervisor_resolves_escalation": Scenario(
        State.CLOSED, _supervisor_resolves_escalation, CLOSED_AGES, 1),
    "handed_over": Scenario(State.UNDERSTOOD, _handed_over, OPEN_AGES, 1),
    "handed_over_after_escalation_closed": Scenario(
        State.CLOSED, _handed_over_after_escalation_closed, CLOSED_AGES, 1),
    "handed_over_after_rejection_resolved": Scenario(
        State.RESOLVED, _handed_over_after_rejection_resolved, RESOLVED_AGES, 1),
    "unanswered_escalation_handed_over": Scenario(
        State.CALMED, _unanswered_escalation_handed_over, HANDED_AFTER_SWEEP_AGES, 1),
    "reopened": Scenario(State.ACKNOWLEDGED, _reopened, REOPENED_AGES, 1),
    "reopened_and_proposed_again": Scenario(
        State.PROPOSED, _reopened_and_proposed_again, REOPENED_AGES, 1),
}


def _schedule() -> list[str]:
    """Every scenario by its weight, in a fixed shuffled order: any 34 cases in a row cover all."""
    slots = [name for name, scenario in SCENARIOS.items() for _ in range(scenario.weight)]
    random.Random(SEED).shuffle(slots)
    return slots


SCHEDULE = _schedule()


def _offsets(rng: random.Random, count: int, duration: timedelta) -> list[timedelta]:
    """When each step happened after the opening: a first reply that is usually quick, the rest
    spread over the case's duration (the last step ends it)."""
    if count == 0:
        return []
    delay = HOUR * rng.choices(
        (rng.uniform(0.03, 3), rng.uniform(3, 20), rng.uniform(24, 40)), weights=(70, 25, 5)
    )[0]
    first = min(delay, duration * 0.5) if count > 1 else min(delay, duration)
    weights = [rng.uniform(0.4, 1.6) for _ in range(count - 1)]
    total = sum(weights) or 1.0
    offsets, done = [first], 0.0
    for weight in weights:
        done += weight
        offsets.append(first + (duration - first) * (done / total))
    return offsets


def plan_case(number: int, now: datetime) -> CasePlan:
    """The demo case with this number (1, 2, ...): the same plan for the same number and `now`."""
    name = SCHEDULE[(number - 1) % len(SCHEDULE)]
    scenario = SCENARIOS[name]
    kind = KINDS[(number - 1) % len(KINDS)]
    timing = random.Random(f"{SEED}-{number}-time")
    age_hours, duration_hours = scenario.ages(timing)
    age = timedelta(hours=age_hours)
    duration = min(timedelta(hours=duration_hours), age - timedelta(minutes=1))
    story = Story(number, kind, opened=now - age)
    payload = story.payload()
    steps = scenario.steps(story)
    return CasePlan(
        number=number, kind=kind, scenario=name, expected_state=scenario.expected_state,
        payload=payload, steps=steps, age=age, offsets=_offsets(timing, len(steps), duration),
    )


# --- building ----------------------------------------------------------------------------------


def ensure_staff() -> tuple[Shop, dict[str, Any]]:
    """The demo shop and its logins (password `demo`), roles and memberships, fixed on every run."""
    shop, _ = Shop.objects.update_or_create(
        code=SHOP_CODE, defaults={"name": SHOP_NAME, "time_zone": SHOP_TIME_ZONE}
    )
    user_model = get_user_model()
    for username, (group_name, is_staff, is_superuser, member) in STAFF.items():
        user = user_model.objects.filter(username=username).first() or user_model(username=username)
        user.set_password(PASSWORD)
        user.is_active = True
        user.is_staff = is_staff
        user.is_superuser = is_superuser
        user.save()
        if group_name is not None:
            user.groups.set([Group.objects.get_or_create(name=group_name)[0]])
        if member:
            shop.members.add(user)
    users = {u.username: u for u in user_model.objects.filter(username__in=list(STAFF))}
    return shop, users


def build_case(plan: CasePlan, users: dict[str, Any], now: datetime) -> bool:
    """Open the case and walk it through its steps in one transaction: complete or not at all.

    Returns False when the case was there already.
    """
    with transaction.atomic():
        case, created = services.open_case(by=None, data=plan.payload)
        if not created:
            return False
        for step in plan.steps:
            by = users[step.by] if step.by is not None else None
            if step.action == "claim":
                services.claim_case(case_id=case.pk, by=by)
            elif step.action == "contact":
                services.log_contact(case_id=case.pk, by=by, data=step.data)
            else:
                services.run_transition(case_id=case.pk, name=step.action, by=by, data=step.data)
        case = Case.objects.get(pk=case.pk)
        if case.state != plan.expected_state:
            raise SeedError(f"ended {case.state}, expected {plan.expected_state}")
        _move_into_the_past(case, plan, now)
    return True


def _move_into_the_past(case: Case, plan: CasePlan, now: datetime) -> None:
    """Shift the case's own times back to when the plan says they happened (one update)."""
    opened = now - plan.age
    shift = opened - case.opened_at

    def last(*actions: str) -> datetime | None:
        times = [opened + offset for step, offset in zip(plan.steps, plan.offsets, strict=True)
                 if step.action in actions]
        return times[-1] if times else None

    first_reply = next((opened + offset for step, offset in zip(plan.steps, plan.offsets,
                                                                  strict=True)
                        if step.action == "acknowledge"), None)
    changes: dict[str, datetime | None] = {"opened_at": opened}
    for name in ("first_response_due_at", "resolution_due_at"):
        due = getattr(case, name)
        if due is not None:
            changes[name] = due + shift
    restarted = last("hand_over", "reopen")
    if restarted is not None:  # a hand-over or a reopen restarts the resolution clock
        changes["resolution_due_at"] = restarted + DEFAULT_DEADLINES[case.kind][1]
    planned = {"first_responded_at": first_reply, "calmed_at": last("calm"),
               "resolved_at": last("accept"), "closed_at": last("close", "withdraw"),
               "escalated_at": last("escalate")}
    for name, when in planned.items():
        if getattr(case, name) is not None and when is not None:
            changes[name] = when
    Case.objects.filter(pk=case.pk).update(**changes)


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
            for number in bar:
                plan = plan_case(number, now)
                try:
                    build_case(plan, users, now)
                except (CaseError, SeedError) as error:
                    detail = getattr(error, "errors", None) or error
                    failures.append(f"{plan.external_id} ({plan.scenario}, {plan.kind}): {detail}")
            bar.close()
        for line in summary(shop, timezone.now()):
            self.stdout.write(line)
        if failures:
            raise CommandError(f"{len(failures)} demo cases could not be built:\n"
                               + "\n".join(failures))


def summary(shop: Shop, now: datetime) -> list[str]:
    """How many cases the shop has in each state and kind, and the logins."""
    cases = Case.objects.filter(shop=shop)
    by_state = Counter(cases.values_list("state", flat=True))
    by_kind = Counter(cases.values_list("kind", flat=True))
    closed_as = Counter(cases.filter(state=State.CLOSED).values_list("closed_as", flat=True))
    notes = {
        State.NEW: f"{cases.filter(state=State.NEW, assignee=None).count()} unassigned",
        State.CLOSED: f"{closed_as[ClosedAs.RESOLVED]} resolved, "
                      f"{closed_as[ClosedAs.WITHDRAWN]} withdrawn",
        State.ESCALATED: f"{cases.filter(state=State.ESCALATED, assignee=None).count()} unassigned",
    }
    handed = TimelineEvent.objects.filter(case__shop=shop, type="hand_over")
    reopened = TimelineEvent.objects.filter(case__shop=shop, type="reopen")
    overdue = cases.filter(Q(state=State.NEW, first_response_due_at__lt=now)
                           | Q(state__in=BEFORE_RESOLUTION, resolution_due_at__lt=now)).count()
    lines = [f"Shop {shop.code} ({shop.name}): {cases.count()} cases"]
    for state in State.values:
        note = f"  ({notes[state]})" if state in notes else ""
        lines.append(f"  {state:<13} {by_state[state]:>4}{note}")
    lines.append("  by kind: " + ", ".join(f"{k} {by_kind[k]}" for k in Kind.values))
    lines.append(f"  {handed.values('case').distinct().count()} handed over, "
                 f"{reopened.values('case').distinct().count()} reopened, {overdue} open cases "
                 "past a deadline (the worker's escalation sweep escalates those)")
    lines.append(f"Log in as agent1, agent2, supervisor1 (admin site) or admin (superuser); "
                 f"the password is: {PASSWORD}")
    return lines
