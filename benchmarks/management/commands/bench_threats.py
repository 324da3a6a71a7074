"""manage.py bench_threats: the default threat rules' precision and recall on the labelled texts,
per language, printed and written to docs/BENCHMARKS.md ("Threat rules")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from benchmarks.document import write_section
from benchmarks.threat_rules import DATA, HOLDOUT, load, measure, texts_per_second
from cases.threats import rules_for


class Command(BaseCommand):
    help = "Measure the default threat rules on the labelled buyer texts (tests/data/threats*.csv)."

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
        lines += ["", f"{len(rules)} default rules; {speed:,.0f} texts a second on one core "
                      "(the check adds well under a millisecond to an opening or a message)."]
        for line in lines:
            self.stdout.write(line)
        write_section("## Threat rules", lines, per_database=False)
