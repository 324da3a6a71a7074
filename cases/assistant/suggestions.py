"""Suggestions, never decisions: what the resolved cases nearest to a case point to.

- The likely cause of a negative review: a vote of the nearest resolved negative-review cases
  whose cause was recorded (each vote weighted by its similarity), with the winner's share of
  the weight as its confidence. None below MIN_VOTES such cases.
- The remedies that ended similar cases of the same kind best: for each remedy used by the
  nearest resolved cases of the kind, the share of them that ended well (not reopened; a
  negative review also revised by the buyer; a dispute is resolved when the buyer accepted).
  None below MIN_REMEDIES such cases. Most good endings first: the basic need first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from cases.assistant.similar import SimilarCase, as_similar, nearest_resolved, scored
from cases.models import Case, Kind

NEIGHBOURS = 40  # nearest resolved cases read for a case (the panel, the vote, the remedies)
SHOWN = 5  # similar cases shown
VOTERS = 10  # nearest resolved negative-review cases with a cause that vote
MIN_VOTES = 5
REMEDY_CASES = 20  # nearest resolved cases of the same kind whose remedies are compared
MIN_REMEDIES = 5
REMEDIES_SHOWN = 3


@dataclass(frozen=True)
class Assistance:
    similar: list[SimilarCase] = field(default_factory=list)
    cause: dict[str, Any] | None = None
    remedies: list[dict[str, Any]] | None = None

    def suggestions(self) -> dict[str, Any]:
        """The API's `suggestions` on the case detail."""
        return {"cause": self.cause, "remedies": self.remedies}


def assist(case: Case, user: Any, *, shown: int = SHOWN) -> Assistance:
    """The similar resolved cases this user may read, and the suggestions they make: three
    queries whatever the shop's size (the matrix of its vectors is cached, similar.py)."""
    neighbours = nearest_resolved(case, limit=NEIGHBOURS)
    if not neighbours:
        return Assistance()
    rows = scored(user, neighbours)
    return Assistance(
        similar=[as_similar(row, score) for row, score in rows[:shown]],
        cause=likely_cause(rows) if case.kind == Kind.NEGATIVE_REVIEW else None,
        remedies=best_remedies([(row, score) for row, score in rows if row.kind == case.kind]),
    )


def likely_cause(rows: list[tuple[Case, float]]) -> dict[str, Any] | None:
    voters = [(row.cause, score) for row, score in rows
              if row.kind == Kind.NEGATIVE_REVIEW and row.cause][:VOTERS]
    if len(voters) < MIN_VOTES:
        return None
    weight: defaultdict[str, float] = defaultdict(float)
    for cause, score in voters:
        weight[cause] += max(score, 0.0)
    total = sum(weight.values())
    value = max(weight, key=lambda cause: (weight[cause], cause))
    confidence = weight[value] / total if total else 1 / len(weight)
    return {"value": value, "confidence": round(confidence, 2)}


def ended_well(case: Case) -> bool:
    if case.reopened:
        return False
    return case.revised_rating is not None if case.kind == Kind.NEGATIVE_REVIEW else True


def best_remedies(rows: list[tuple[Case, float]]) -> list[dict[str, Any]] | None:
    used = [row for row, _score in rows if row.chosen_remedy][:REMEDY_CASES]
    if len(used) < MIN_REMEDIES:
        return None
    tried = Counter(row.chosen_remedy for row in used)
    good = Counter(row.chosen_remedy for row in used if ended_well(row))
    ranked = sorted(good, key=lambda remedy: (-good[remedy], -good[remedy] / tried[remedy], remedy))
    return [{"value": remedy, "share": round(good[remedy] / tried[remedy], 2)}
            for remedy in ranked[:REMEDIES_SHOWN]]
