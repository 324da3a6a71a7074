"""Measuring the threat rules on buyer texts labelled by hand (tests/data/threats*.csv).

`threats.csv` is the set the default rules were written and tuned against; `threats_holdout.csv`
was written afterwards and measured once, untuned, so its figures say how the rules do on words
they were not fitted to. Precision and recall count (text, kind of threat) pairs: a text that
threatens legal action and a regulator is two; flagging it "legal" alone is one found, one missed.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from cases.threats import Rule, find_threats

DATA = Path(settings.BASE_DIR) / "tests" / "data" / "threats.csv"
HOLDOUT = Path(settings.BASE_DIR) / "tests" / "data" / "threats_holdout.csv"


@dataclass(frozen=True)
class Labelled:
    text: str
    language: str
    codes: frozenset[str]


@dataclass
class Result:
    texts: int = 0
    found: int = 0  # true positives: (text, kind) pairs flagged and labelled
    wrong: int = 0  # false positives
    missed: int = 0  # false negatives
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found / (self.found + self.wrong) if self.found + self.wrong else 1.0

    @property
    def recall(self) -> float:
        return self.found / (self.found + self.missed) if self.found + self.missed else 1.0


def load(path: Path) -> list[Labelled]:
    with path.open(encoding="utf-8", newline="") as f:
        return [Labelled(row["text"], row["language"],
                         frozenset(code for code in row["codes"].split(";") if code))
                for row in csv.DictReader(f)]


def measure(texts: Sequence[Labelled], rules: Sequence[Rule]) -> Result:
    result = Result(texts=len(texts))
    for labelled in texts:
        got = set(find_threats(labelled.text, list(rules)))
        result.found += len(got & labelled.codes)
        result.wrong += len(got - labelled.codes)
        result.missed += len(labelled.codes - got)
        if got != labelled.codes:
            result.errors.append(f"{labelled.text!r}: labelled {sorted(labelled.codes)}, "
                                 f"flagged {sorted(got)}")
    return result


def texts_per_second(texts: Sequence[Labelled], rules: Sequence[Rule], rounds: int = 20) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for labelled in texts:
            find_threats(labelled.text, list(rules))
    return rounds * len(texts) / (time.perf_counter() - started)
