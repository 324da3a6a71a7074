"""One demo negative-review case's story (中差评): the review, its texts and the steps that tell it.

Like demo/stories.py for the disputes, with its own numbers: the marketplace review
TB-RV-0001 opens the case `review:TB-RV-0001`. Each review's buyer is theirs alone (the
handle carries the review's number), so the contact limits of one case never touch another.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from cases.models import Kind
from demo import goods, texts
from demo import review_texts as rt
from demo.stories import SHOP_CODE, SUPERVISOR_USERNAME, BaseStory, CasePlan, Step
from reviews.models import external_id_of

REVIEW_ID_PREFIX = "TB-RV-"
REVIEW_EXTERNAL_ID_PREFIX = external_id_of(REVIEW_ID_PREFIX)


def platform_review_id(number: int) -> str:
    return f"{REVIEW_ID_PREFIX}{number:04d}"


def review_external_id(number: int) -> str:
    """The case's external id, as the review workflow derives it from the review id."""
    return external_id_of(platform_review_id(number))


@dataclass
class ReviewPlan(CasePlan):
    @property
    def external_id(self) -> str:
        return review_external_id(self.number)


class ReviewStory(BaseStory):
    """Everything random about one demo review case."""

    kind = Kind.NEGATIVE_REVIEW
    SEED_KEY = "review-"
    ORDER_PREFIXES = (5, 8)  # disputes' order numbers start with 1–4
    CENTS = ("00", "00", "90")

    def __init__(self, number: int, opened: datetime) -> None:
        super().__init__(number, opened)
        rng = self.rng
        self.values.update(
            product=self.t(self.product.name),
            carrier=self.t(rng.choice(goods.CARRIERS)),
            days=rng.randint(6, 15),
            defect=self.t(rng.choice(self.product.defects)),
            issue=self.t(rng.choice(self.product.issues)),
            agent=goods.AGENT_NICKS[self.agent][self.lang],
        )
        causes = list(rt.CAUSE_WEIGHTS)
        self.cause = rng.choices(causes, weights=[rt.CAUSE_WEIGHTS[c] for c in causes])[0]
        self.rating = rng.choices((1, 2, 3), weights=(4, 2, 4))[0]
        self.text = self.pick(rt.REVIEWS[self.cause])
        zh, en, self.remedy_kind = rng.choice(rt.CORE_PROBLEMS[self.cause])
        self.core_problem = self.t((zh, en))
        self.posted = opened - timedelta(minutes=rng.randint(20, 60 * 40))

    def payload(self) -> dict[str, Any]:
        """What the marketplace sends: the order, the buyer and the review (rating 1–3 or label)."""
        base = self.rng.choice(goods.HANDLES_EN if self.lang else goods.HANDLES_ZH)
        handle = f"{base}_{self.rng.randint(1, 9)}{self.number:03d}"  # 4+ digits: never a dispute's
        buyer = random.Random(handle)
        if self.lang:
            name = buyer.choice(goods.NAMES_EN)
        else:
            name = buyer.choice(goods.SURNAMES) + buyer.choice(goods.GIVEN_NAMES)
        phone = buyer.choice(goods.PHONE_PREFIXES) + f"{buyer.randint(0, 10**8 - 1):08d}"
        rating: int | str = self.rating
        if self.rating != 2 and self.rng.random() < 0.5:
            rating = "中评" if self.rating == 3 else "差评"
        return {
            "kind": self.kind,
            "shop": SHOP_CODE,
            "order": {"number": self.order_number, "paid_amount": str(self.paid),
                      "currency": "CNY"},
            "customer": {"handle": handle, "name": name, "phone": phone},
            "review": {
                "platform_review_id": platform_review_id(self.number),
                "rating": rating,
                "text": self.text,
                "posted_at": self.posted.isoformat(),
                "category": self.t(rt.CATEGORIES[self.product.name[0]]),
            },
        }

    # steps
    def _call(self, by: str, outcome: str, notes: tuple[texts.Text, ...]) -> Step:
        return Step("contact", by, {"channel": "call", "direction": "outbound",
                                    "outcome": outcome, "body": self.pick(notes)})

    def reached(self, by: str) -> Step:
        return self._call(by, "reached", rt.REACHED_CALLS)

    def no_answer(self, by: str) -> Step:
        return self._call(by, "no_answer", rt.NO_ANSWER_CALLS)

    def do_not_contact(self, by: str) -> Step:
        return self._call(by, "do_not_contact", rt.DO_NOT_CONTACT_CALLS)

    def calm(self, by: str) -> Step:
        return Step("calm", by, {"note": self.pick(rt.CALM_NOTES)})

    def listen(self, by: str) -> Step:
        return Step("listen", by, {"core_problem": self.core_problem, "cause": self.cause})

    def remedy(self, by: str) -> Step:
        data: dict[str, Any] = {"remedy": self.remedy_kind}
        if self.remedy_kind == "partial_refund":
            share = Decimal(str(round(self.rng.uniform(0.1, 0.3), 2)))
            data["amount"] = str(Decimal(max(1, min(int(self.paid * share), int(self.paid) - 1))))
        elif self.remedy_kind == "coupon" and self.rng.random() < 0.7:
            data["amount"] = str(min(Decimal(self.rng.choice((5, 10, 20, 30))), self.paid))
        return Step("remedy", by, data)

    def request_revision(self, by: str) -> Step:
        return Step("request_revision", by, {"message": self.pick(rt.REVISION_REQUESTS)})

    def mark_revised(self, by: str) -> Step:
        return Step("mark_revised", by, {"new_rating": self.rng.choice((4, 5, 5))})

    def reply(self, by: str, *, unreached: str = "") -> Step:
        """The public reply; `unreached` "do_not_contact" or "contact_limit" when the buyer was
        never heard: the reply answers the review as it stands."""
        options = {"do_not_contact": rt.NO_CONTACT_REPLIES,
                   "contact_limit": rt.UNREACHABLE_REPLIES}.get(unreached)
        options = options or rt.PUBLIC_REPLIES[self.cause]
        return Step("reply_publicly", by, {"text": self.pick(options)})

    def close(self, by: str) -> Step:
        if self.rng.random() < 0.5:
            return Step("close", by, {})
        return Step("close", by, {"note": self.pick(rt.CLOSE_NOTES)})

    def escalate(self, by: str | None, reason: str | None = None) -> Step:
        return Step("escalate", by, {"reason": reason or self.pick(rt.ESCALATE_REASONS)})

    def hand_over(self, to: str) -> Step:
        reason = self.pick(texts.HAND_OVER_REASONS, to=goods.AGENT_NICKS[to][self.lang])
        return Step("hand_over", SUPERVISOR_USERNAME, {"to": to, "reason": reason})

    def to_understood(self, by: str) -> list[Step]:
        """Sometimes a missed call first; then the buyer is reached, soothed and heard."""
        missed = [self.no_answer(by)] if self.rng.random() < 0.3 else []
        return [*missed, self.reached(by), self.calm(by), self.listen(by)]

    def to_remedied(self, by: str) -> list[Step]:
        return [*self.to_understood(by), self.remedy(by)]
