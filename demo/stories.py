"""One demo case's story: its texts and the service calls that tell it."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from cases.models import Kind
from cases.models.dispute import REMEDIES_BY_KIND
from cases.permissions import AGENT, SUPERVISOR
from demo import goods, texts

SHOP_CODE = "demo"
SHOP_NAME = "Demo Shop 演示店铺"
SHOP_TIME_ZONE = "Asia/Shanghai"
SHOP_PLATFORM = "taobao"  # the marketplace clock: Taobao's rules
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
# How often each demo agent fills a message from a quick reply (快捷短语) rather than typing it.
QUICK_REPLY_HABIT = {"agent1": 0.6, "agent2": 0.3}
LANGUAGES = ("zh-hans", "en")  # a story's language as a quick reply's
MONEY_FAMILY = {"full_refund": "refund", "partial_refund": "refund", "return_and_refund": "refund",
                "reship": "reship", "exchange": "exchange"}


def external_id(number: int) -> str:
    return f"{EXTERNAL_ID_PREFIX}{number:04d}"


def kind_of(number: int) -> str:
    """The demo disputes take turns: refund, non-delivery, not as described."""
    return KINDS[(number - 1) % len(KINDS)]


@dataclass(frozen=True)
class Step:
    """One service call: a transition's name, "claim" or "contact"; `by` None is the system.
    `quick_reply`: the shortcut of the quick reply (in `language`) whose filled text the message
    is, used through the canned-reply service when the step runs."""

    action: str
    by: str | None
    data: dict[str, Any] = field(default_factory=dict)
    quick_reply: str = ""
    language: str = ""


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


# The number of the first dispute case that draws each buyer handle (filled in as far as needed).
_FIRST_DRAWN: dict[str, int] = {}
_DRAWN_UP_TO = [0]


def _first_drawn_by(handle: str, number: int) -> int:
    """The first case number up to `number` whose story draws this handle."""
    while _DRAWN_UP_TO[0] < number:
        n = _DRAWN_UP_TO[0] + 1
        story = Story(n, kind_of(n), opened=datetime(2000, 1, 1))
        _FIRST_DRAWN.setdefault(story._draw_handle(), n)
        _DRAWN_UP_TO[0] = n
    return _FIRST_DRAWN.get(handle, number)


# --- one case's story: its texts and the steps that tell it ---------------------------------------


class BaseStory:
    """What every demo case draws first (language, agent, product, price, order number), from a
    generator seeded by its number, and how its texts are filled in."""

    SEED_KEY = ""  # keeps the dispute and review series apart
    ORDER_PREFIXES = (1, 4)  # the first digit of the order number
    CENTS: tuple[str, ...] = ("00", "00", "00", "90", "80")

    def __init__(self, number: int, opened: datetime) -> None:
        self.rng = rng = random.Random(f"{SEED}-{self.SEED_KEY}{number}")
        self.number = number
        self.opened = opened
        self.lang = 1 if rng.random() < 0.2 else 0  # index into the (zh, en) pairs
        self.agent = rng.choice(AGENTS)
        self.other = next(a for a in AGENTS if a != self.agent)
        self.product = rng.choice(goods.PRODUCTS)
        self.paid = self._price()
        self.order_number = (f"{rng.randint(*self.ORDER_PREFIXES)}"
                             f"{rng.randint(10**12, 10**13 - 1)}{number:05d}")
        self.values: dict[str, Any] = {}  # what the templates' {placeholders} are filled with
        # whether a message comes from a quick reply: drawn apart, so the story's texts stay
        self.habit = random.Random(f"{SEED}-quick-{self.SEED_KEY}{number}")

    # texts
    def t(self, pair: texts.Text, **values: Any) -> str:
        return pair[self.lang].format(**{**self.values, **values})

    def pick(self, options: Sequence[texts.Text], **values: Any) -> str:
        return self.t(self.rng.choice(options), **values)

    def quickly(self, step: Step, shortcut: str) -> Step:
        """The step's message from the quick reply `shortcut` instead, as often as its agent
        uses quick replies (QUICK_REPLY_HABIT)."""
        if self.habit.random() < QUICK_REPLY_HABIT.get(step.by or "", 0):
            return replace(step, quick_reply=shortcut, language=LANGUAGES[self.lang])
        return step

    def _price(self) -> Decimal:
        low, high = self.product.price
        price = self.rng.randint(low, high)
        price = min(high, max(low, price - price % 10 + self.rng.choice((9, 9, 8, 0))))
        return Decimal(f"{price}.{self.rng.choice(self.CENTS)}")


class Story(BaseStory):
    """Everything random about one demo dispute."""

    def __init__(self, number: int, kind: str, opened: datetime) -> None:
        super().__init__(number, opened)
        rng = self.rng
        self.kind = kind
        self.values.update(
            product=self.t(self.product.name),
            order=self.order_number,
            carrier=self.t(rng.choice(goods.CARRIERS)),
            city=self.t(rng.choice(goods.CITIES)),
            days=rng.randint(6, 15),
            defect=self.t(rng.choice(self.product.defects)),
            issue=self.t(rng.choice(self.product.issues)),
        )
        self.tracking_status = ""
        self.description, core = self._complaint()
        self.core_problem = self.t(core[:2])
        self.remedy = core[2]

    def nick(self, username: str) -> str:
        return goods.AGENT_NICKS[username][self.lang]

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
            listed, received = rng.sample(goods.COLOURS, 2)
            self.values["issue"] = self.t(("颜色偏{received}", "looks {received}"),
                                          received=self.t(received))
            description = self.pick(texts.NAD_COLOUR, listed=self.t(listed),
                                    received=self.t(received))
        else:
            description = self.pick(texts.NAD_ISSUE)
        return description, rng.choice(texts.CORE_PROBLEMS["not_as_described"])

    def payload(self) -> dict[str, Any]:
        """What the marketplace sends to open the case (like tests/factories.py case_payload)."""
        handle = self._draw_handle()
        if _first_drawn_by(handle, self.number) < self.number:
            # An earlier case has this buyer: their contacts there (a do_not_contact, the contact
            # limit per 7 days) would refuse this case's calls. Every dispute has its own buyer.
            handle = f"{handle}{self.number:04d}"
        buyer = random.Random(handle)  # the same handle is the same buyer in every case
        if self.lang:
            name = buyer.choice(goods.NAMES_EN)
        else:
            name = buyer.choice(goods.SURNAMES) + buyer.choice(goods.GIVEN_NAMES)
        phone = buyer.choice(goods.PHONE_PREFIXES) + f"{buyer.randint(0, 10**8 - 1):08d}"
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

    def _draw_handle(self) -> str:
        handles = goods.HANDLES_EN if self.lang else goods.HANDLES_ZH
        handle = self.rng.choice(handles)
        if self.rng.random() < 0.5:
            handle = f"{handle}_{self.rng.randint(10, 999)}"
        return handle

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

    def apology(self, by: str) -> Step:
        """A new agent's first message to a buyer nobody had answered (often the quick reply
        "sorry": one without {agent}, as the demo's agents go by nicknames, not logins)."""
        options = texts.ACKNOWLEDGE["any"] + texts.ACKNOWLEDGE[self.kind]
        return self.quickly(Step("contact", by, {"channel": "chat", "direction": "outbound",
                                                 "body": self.pick(options, agent=self.nick(by))}),
                            "sorry")

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
        """After the resolution: the buyer is reached and the shop speaks last (close's guard),
        often with the quick reply "thanks"."""
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
            self.quickly(Step("contact", by, {"channel": "chat", "direction": "outbound",
                                              "body": self.pick(texts.SHOP_LAST_WORDS)}),
                         "thanks"),
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


