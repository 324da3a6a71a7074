"""Many cases in realistic proportions, in bulk: shops, agents, buyers, orders, cases over every
state, their timelines, contacts and reminders.

Case n is the same whatever run made it (its values come from n), so seeding tops up: a second run
with a larger N adds cases N_before … N-1 and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from benchmarks.bulk import Table
from cases.models import (
    Case,
    Contact,
    Customer,
    DeliveryState,
    Kind,
    Order,
    OutgoingWebhook,
    Shop,
    State,
    TimelineEvent,
)
from cases.permissions import AGENT, SUPERVISOR
from notifications.models import Reminder

SHOPS = 5
AGENTS_PER_SHOP = 10
PREFIX = "bench"
# Disputes only: review cases carry a review row and states of their own.
KINDS = [Kind.REFUND, Kind.NON_DELIVERY, Kind.NOT_AS_DESCRIBED, Kind.REFUND]
# (state, share in 100, the steps its timeline shows after case_opened)
STATES: list[tuple[str, int, tuple[str, ...]]] = [
    (State.NEW, 8, ()),
    (State.ACKNOWLEDGED, 10, ("case_claimed", "acknowledge")),
    (State.CALMED, 7, ("case_claimed", "acknowledge", "calm")),
    (State.UNDERSTOOD, 6, ("case_claimed", "acknowledge", "calm", "listen")),
    (State.PROPOSED, 6, ("case_claimed", "acknowledge", "calm", "listen", "propose")),
    (State.ESCALATED, 3, ("case_claimed", "acknowledge", "escalate")),
    (State.RESOLVED, 10, ("case_claimed", "acknowledge", "calm", "listen", "propose", "accept")),
    (State.CLOSED, 50, ("case_claimed", "acknowledge", "calm", "listen", "propose", "accept",
                        "contact_logged", "close")),
]
# The state each step leads to (case_claimed and contact_logged keep the state).
TARGET = {"acknowledge": State.ACKNOWLEDGED, "calm": State.CALMED, "listen": State.UNDERSTOOD,
          "propose": State.PROPOSED, "escalate": State.ESCALATED, "accept": State.RESOLVED,
          "close": State.CLOSED}
STATE_OF: list[tuple[str, tuple[str, ...]]] = [
    (state, steps) for state, share, steps in STATES for _ in range(share)]
CHUNK = 5_000


@dataclass(frozen=True)
class Staff:
    shops: list[Shop]
    agents: dict[int, list[Any]]  # shop id → agents


def shop_codes() -> list[str]:
    """bench-1 … bench-5: not the shops of the other benchmarks (bench, bench-reports)."""
    return [f"{PREFIX}-{s}" for s in range(1, SHOPS + 1)]


def bench_shops() -> list[Shop]:
    return list(Shop.objects.filter(code__in=shop_codes()).order_by("code"))


def ensure_staff() -> Staff:
    """The bench shops, 10 agents and a supervisor each (password `bench`, for trying the pages)."""
    user_model = get_user_model()
    agent_group, _ = Group.objects.get_or_create(name=AGENT)
    supervisor_group, _ = Group.objects.get_or_create(name=SUPERVISOR)
    password = make_password("bench")  # hashed once: 55 users × PBKDF2 would take seconds
    shops, agents = [], {}
    for s in range(1, SHOPS + 1):
        shop, _ = Shop.objects.get_or_create(code=shop_codes()[s - 1],
                                             defaults={"name": f"Benchmark shop {s}"})
        shops.append(shop)
        agents[shop.pk] = []
        for a in range(1, AGENTS_PER_SHOP + 2):
            username = f"{PREFIX}{s}-{'boss' if a > AGENTS_PER_SHOP else f'agent{a}'}"
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model(username=username, is_staff=a > AGENTS_PER_SHOP)
                user.password = password
                user.save()
                user.groups.add(supervisor_group if a > AGENTS_PER_SHOP else agent_group)
                shop.members.add(user)
            if a <= AGENTS_PER_SHOP:
                agents[shop.pk].append(user)
    return Staff(shops, agents)


def existing_cases() -> int:
    return Case.objects.filter(shop__code__in=shop_codes()).count()


def seed(wanted: int, progress: Callable[[int], None] = lambda n: None,
         now: datetime | None = None) -> int:
    """Top the bench shops up to `wanted` cases; returns how many were added."""
    staff = ensure_staff()
    have = existing_cases()
    now = now or timezone.now()
    for start in range(have, wanted, CHUNK):
        end = min(start + CHUNK, wanted)
        with transaction.atomic():
            _seed_chunk(staff, start, end, now)
        progress(end - start)
    return max(0, wanted - have)


def _tables() -> dict[str, Table]:
    return {"customer": Table(Customer), "order": Table(Order), "case": Table(Case),
            "event": Table(TimelineEvent), "contact": Table(Contact), "reminder": Table(Reminder)}


def _seed_chunk(staff: Staff, start: int, end: int, now: datetime) -> None:
    """One chunk of cases and everything that hangs on them, with ids allotted here."""
    tables = _tables()
    ids = {name: table.next_id() for name, table in tables.items()}
    rows: dict[str, list[tuple]] = {name: [] for name in tables}

    def add(name: str, **values: Any) -> int:
        pk = ids[name]
        ids[name] += 1
        rows[name].append(tables[name].row(id=pk, **values))
        return pk

    for n in range(start, end):
        plan = _plan(staff, n, now)
        phone = f"13{n % 10**9:09d}"
        customer = add("customer", shop_id=plan.shop.pk, handle=f"{PREFIX}-buyer-{n}", phone=phone)
        order = add("order", shop_id=plan.shop.pk, number=f"B{n:010d}", customer_id=customer,
                    paid_amount=plan.paid)
        # The case carries the phone it arrived with, as an opened case does.
        values = {**plan.case_values(customer_id=customer, order_id=order), "buyer_phone": phone}
        case = add("case", **values)
        for event in plan.events():
            add("event", case_id=case, **event)
        for contact in plan.contacts():
            add("contact", case_id=case, customer_id=customer, **contact)
        for reminder in plan.reminders(values["next_due_at"]):
            add("reminder", case_id=case, **reminder)
    for name, table in tables.items():  # parents first: the foreign keys are checked
        table.insert(rows[name])
        table.reset_sequence()


@dataclass(frozen=True)
class Plan:
    n: int
    shop: Shop
    kind: str
    state: str
    steps: tuple[str, ...]
    assignee: Any
    opened: datetime
    paid: Decimal
    now: datetime

    def at(self, step: int) -> datetime:
        """The moment of the step-th event: an hour apart, never after now."""
        return min(self.opened + timedelta(hours=step, minutes=self.n % 50), self.now)

    def case_values(self, *, customer_id: int, order_id: int) -> dict[str, Any]:
        done = set(self.steps)
        is_open = self.state != State.CLOSED
        first_due = self.opened + timedelta(hours=24)
        resolution_due = self.opened + timedelta(hours=72)
        next_due = None
        if is_open and self.state != State.RESOLVED:
            next_due = resolution_due if "acknowledge" in done else first_due
        return {
            "shop_id": self.shop.pk, "kind": self.kind, "state": self.state,
            "external_id": f"{PREFIX}-{self.n}", "description": f"Benchmark case {self.n}",
            "order_id": order_id, "customer_id": customer_id, "claimed_amount": self.paid,
            "assignee_id": self.assignee.pk if self.assignee else None,
            "opened_at": self.opened, "updated_at": self.at(len(self.steps)),
            "first_response_due_at": first_due, "resolution_due_at": resolution_due,
            "first_responded_at": self.at(2) if "acknowledge" in done else None,
            "calmed_at": self.at(3) if "calm" in done else None,
            "core_problem": "The cup arrived cracked." if "listen" in done else "",
            "chosen_remedy": "full_refund" if "propose" in done else "",
            "remedy_amount": self.paid if "propose" in done else None,
            "resolved_at": self.at(6) if "accept" in done else None,
            "escalated_at": self.at(3) if "escalate" in done else None,
            "closed_at": self.at(8) if self.state == State.CLOSED else None,
            "closed_as": "resolved" if self.state == State.CLOSED else "",
            "next_due_at": next_due,
        }

    def events(self) -> Iterator[dict[str, Any]]:
        actor = self.assignee.pk if self.assignee else None
        yield {"type": "case_opened", "at": self.opened, "to_state": State.NEW,
               "data": {"kind": self.kind}}
        state = State.NEW
        for step, name in enumerate(self.steps, start=1):
            target = TARGET.get(name, state)
            yield {"type": name, "actor_id": actor, "at": self.at(step), "from_state": state,
                   "to_state": target, "data": {}}
            state = target

    def contacts(self) -> Iterator[dict[str, Any]]:
        if "acknowledge" in self.steps:
            yield {"channel": "chat", "direction": "inbound", "body": "Where is my refund?",
                   "at": self.at(1)}
        if "contact_logged" in self.steps:
            yield {"channel": "call", "direction": "outbound", "outcome": "reached", "outreach": True,
                   "body": "Confirmed the refund arrived.",
                   "by_id": self.assignee.pk if self.assignee else None, "at": self.at(7)}

    def reminders(self, next_due: datetime | None) -> Iterator[dict[str, Any]]:
        if next_due is None:
            return
        yield {"kind": "deadline_warning", "deadline": "resolution", "deadline_at": next_due,
               "audience": "assignee", "due_at": next_due - timedelta(hours=4),
               "state": "pending", "created_at": self.opened,
               "idempotency_key": f"{PREFIX}-{self.n}-warning"}
        yield {"kind": "deadline_breached", "deadline": "resolution", "deadline_at": next_due,
               "audience": "assignee_supervisors", "due_at": next_due, "state": "pending",
               "created_at": self.opened, "idempotency_key": f"{PREFIX}-{self.n}-breach"}


def _mix(n: int) -> int:
    """Knuth's multiplicative hash: shop, state and agent of case n, without patterns between them."""
    return (n * 2654435761) % 2**32


def _plan(staff: Staff, n: int, now: datetime) -> Plan:
    shop = staff.shops[n % len(staff.shops)]
    state, steps = STATE_OF[_mix(n) % len(STATE_OF)]
    agents = staff.agents[shop.pk]
    # Closed cases spread over two years; open ones are recent (a backlog of days, not years).
    age = timedelta(minutes=(n * 7919) % (2 * 525_600)) if state == State.CLOSED \
        else timedelta(minutes=(n * 7919) % 14_400)
    return Plan(n=n, shop=shop, kind=KINDS[n % len(KINDS)], state=state, steps=steps,
                assignee=None if state == State.NEW else agents[(_mix(n) >> 8) % len(agents)],
                opened=now - age, paid=Decimal(20 + n % 480), now=now)


def long_thread_case(agent: Any, size: int) -> Case | None:
    """The agent's second acknowledged case with a conversation of `size` messages: the buyer and
    the agent in turn, each with its timeline event, each of the agent's carried by a delivered
    `message.sent` row (so that the page joins them as a connector's shop does). Topped up once;
    found again after."""
    cases = Case.objects.filter(assignee=agent, state=State.ACKNOWLEDGED).order_by("id")
    case = cases[1:2].first()
    if case is None:
        return None
    have = Contact.objects.filter(case=case).count()
    if have >= size:
        return case
    with transaction.atomic():
        start = case.opened_at + timedelta(minutes=5)
        contacts = []
        for i in range(have, size):
            ours = i % 2 == 1
            at = start + timedelta(minutes=2 * i)
            webhook = None
            if ours:
                webhook = OutgoingWebhook.objects.create(
                    shop_id=case.shop_id, case=case, type="message.sent", payload={},
                    state=DeliveryState.DELIVERED, attempts=1, created_at=at, delivered_at=at)
            contacts.append(Contact(
                case=case, customer_id=case.customer_id, channel="chat",
                direction="outbound" if ours else "inbound", by=agent if ours else None, at=at,
                body=(f"您好，关于您的退款，我们已经在处理了（第 {i} 条）。" if ours
                      else f"请问我的退款什么时候到？（第 {i} 条）"),
                phrase_hits=[], sent_through=webhook))
        Contact.objects.bulk_create(contacts)
        TimelineEvent.objects.bulk_create(
            TimelineEvent(case=case, type="message_sent" if c.by_id else "contact_logged",
                          actor=c.by, at=c.at, from_state=case.state, to_state=case.state,
                          data={"contact_id": c.pk, "channel": c.channel,
                                "direction": c.direction, "outcome": "", "body": c.body})
            for c in contacts)
    return case
