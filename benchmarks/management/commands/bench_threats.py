"""manage.py bench_threats: the default threat rules' precision and recall on the labelled texts,
per language, printed and written to docs/BENCHMARKS.md ("Threat rules")."""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from benchmarks.document import write_section
from benchmarks.threat_rules import DATA, HOLDOUT, load, measure, texts_per_second
from cases.models import ThreatCode, ThreatRule
from cases.threats import Rule, find_threats, rules_for
from reviews.models import opens_a_case

# The marketplace's review export (read where it is, never copied).
REVIEWS = Path(settings.BASE_DIR).parent / "shared" / "data" / "marketplace_reviews_export.csv"


# Read once by a person (not re-measured by the command): what the flagged real reviews are.
HAND_CHECK = [
    "What the figures mean. Precision and recall count (text, kind of threat) pairs. The tuned set",
    "is the one the default rules were written against, so its figures are an upper bound; it holds",
    "the first held-out set too, whose misses the rules of migration 0034 were written from. The",
    "held-out set is a second one, written before those rules and measured once, untuned, with",
    "harder negatives on purpose. Its misses are phrasings no rule has: a network named without a",
    "verb of posting (\"this is going on my TikTok\", 抖音录好视频了…就发), 发到我们业主群和朋友圈 (the",
    "network too far from the verb), a warning \"in every Facebook group\", \"asked my bank to reverse",
    "the payment\", \"flag your store to Amazon\", a review that \"disappears\" for a discount,",
    "好评…改回来 after a cash-back.",
    "Its wrong flags are words of a buyer's job or of a product: a police officer, 律师事务所, 做媒体",
    "运营, a tennis court kit. A shop adds its own phrasings as rules. On the real export, a hand",
    "check of 50 flagged low reviews (drawn at random, with the first rules; the second add no flag",
    "there) found 39 rightly flagged (the buyer tells of a complaint lodged or threatened, of",
    "going to the press, a regulator, the police) and 11 not: 报警 as a phone's battery alarm, 媒体",
    "and 监管部门 in a rant about a brand, a theft reported to the police: about 78% of the flags",
    "are right. Most flags there are 投诉: these reviews were written after the fact, so they tell",
    "of complaints made.",
]


def real_reviews(rules: list[Rule]) -> list[str]:
    """How many of the real export's low reviews (the ones that open a case) the rules flag."""
    if not REVIEWS.exists():
        return ["", f"(The review export is not at {REVIEWS}: no figures on real reviews.)"]
    with REVIEWS.open(encoding="utf-8-sig", newline="") as f:
        low = [row["review_text"] for row in csv.DictReader(f) if opens_a_case(int(row["rating"]))]
    started = time.perf_counter()
    found = [find_threats(text, rules) for text in low]
    seconds = time.perf_counter() - started
    flagged = [f for f in found if f]
    kinds = Counter(code for f in flagged for code in f)
    names = dict(ThreatCode.choices)
    return ["", f"The real export: {len(flagged):,} of its {len(low):,} low reviews flagged "
                f"({len(flagged) / len(low):.1%}; checked in {seconds:.1f} s): "
                + ", ".join(f"{names[code]} {n}" for code, n in kinds.most_common()) + "."]


class Command(BaseCommand):
    help = "Measure the default threat rules on the labelled buyer texts (tests/data/threats*.csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-doc", action="store_true", help="print only, leave the doc")

    def handle(self, *args: Any, **options: Any) -> None:
        rules = rules_for(None)
        lines = ["", "| texts | language | texts | threats labelled | precision | recall | "
                     "wrongly flagged | missed |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name, path in (("tuned on", DATA), ("held out", HOLDOUT)):
            texts = load(path)
            for language in ("zh", "en", "both"):
                part = [t for t in texts if language in ("both", t.language)]
                result = measure(part, rules)
                labelled = sum(len(t.codes) for t in part)
                lines.append(f"| {name} | {language} | {len(part)} | {labelled} | "
                             f"{result.precision:.1%} | {result.recall:.1%} | {result.wrong} | "
                             f"{result.missed} |")
        speed = texts_per_second(load(DATA) + load(HOLDOUT), rules)
        count = ThreatRule.objects.filter(shop__isnull=True, enabled=True).count()
        lines += ["", f"{count} default rules; {speed:,.0f} texts a second on one core, "
                      f"{1000 / speed:.2f} ms a text: what the check adds to an opening, a "
                      "message from the buyer or a review imported."]
        lines += real_reviews(rules)
        lines += ["", *HAND_CHECK]
        for line in lines:
            self.stdout.write(line)
        if not options["no_doc"]:
            write_section("## Threat rules", lines, per_database=False)
