"""Benchmark: the assistant, model against the lexical baseline in one run (docs/BENCHMARKS.md).

    manage.py bench_assistant [--sample 6000] [--resolved 100000] [--no-doc]

Reads the review corpus in ../shared/data/ in place. Vectors of the corpus sample are cached under
var/bench/assistant/ (resumable: a stopped run goes on where it stopped); the bench shop's 100,000
resolved cases are seeded once and topped up.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks.assistant import chance, measure_backfill, measure_quality, measure_similar, table
from benchmarks.corpus import CORPUS, negative_sample
from benchmarks.document import write_section

CORPUS_SIZE = 62_774


def duration(seconds: float) -> str:
    hours, rest = divmod(round(seconds), 3600)
    return f"{hours} h {rest // 60} min" if hours else f"{rest // 60} min {rest % 60} s"


class Command(BaseCommand):
    help = "Measure the assistant: corpus quality, cross-language, speed, similar-cases latency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sample", type=int, default=6000)
        parser.add_argument("--resolved", type=int, default=100_000)
        parser.add_argument("--backfill", type=int, default=300,
                            help="corpus reviews opened as cases and backfilled, timed")
        parser.add_argument("--only", choices=["e5", "lexical"], default=None)
        parser.add_argument("--no-doc", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not CORPUS.exists():
            raise CommandError(f"The review corpus is not at {CORPUS}.")
        keys = [options["only"]] if options["only"] else ["lexical", "e5"]
        quality = [measure_quality(key, options["sample"]) for key in keys]
        latency = [measure_similar(key, options["resolved"]) for key in keys]
        backfill = [measure_backfill(key, options["backfill"]) for key in keys]
        base = chance(negative_sample(options["sample"]).categories)
        lines = [
            f"Leave-one-out nearest neighbour over a fixed sample (seed 18) of {options['sample']:,} "
            f"negative reviews of the corpus (10 categories; chance {base:.0%}): does the most "
            "similar other review name the same product category? Cross-language: for each of the "
            "50 English texts of tests/data/assistant_zh_en_pairs.csv, is the nearest of the 50 "
            "Chinese texts its own translation (chance 2 %)?", "",
            *table([["representation", "category top-1", "English → Chinese", "vectors / s",
                     "vectors / CPU-second", "load", "peak memory"]] + [
                [q.name, f"{q.agreement:.1%}", f"{q.cross_language:.0%}", f"{q.per_second:.1f}",
                 f"{q.per_cpu_second:.1f}", f"{q.load_seconds:.2f} s", f"{q.rss_mb:.0f} MB"]
                for q in quality]),
            "", f"Similar cases at {options['resolved']:,} resolved cases in one shop (`assist`: "
            "the case's vector and the shop's stamp, the cosine over the cached matrix, the "
            "rows of the nearest; 30 warm runs):", "",
            *table([["representation", "cases", "first (matrix read)", "median", "p95",
                     "CPU per answer", "matrix"]] + [
                [q.name, f"{lat.resolved:,}", f"{lat.cold_ms:.0f} ms", f"{lat.warm_median_ms:.1f} ms",
                 f"{lat.warm_p95_ms:.1f} ms", f"{lat.warm_cpu_ms:.1f} ms", f"{lat.matrix_mb:.0f} MiB"]
                for q, lat in zip(quality, latency, strict=True)]),
            "", f"Backfill (`represent_cases`, batches of 64, through the database) of "
            f"{options['backfill']} corpus reviews opened as cases, and the whole corpus "
            f"({CORPUS_SIZE:,} reviews) at that rate:", "",
            *table([["representation", "cases / s", "corpus"]] + [
                [q.name, f"{b.per_second:.1f}", duration(CORPUS_SIZE / b.per_second)]
                for q, b in zip(quality, backfill, strict=True)]),
        ]
        for line in lines:
            self.stdout.write(line)
        if not options["no_doc"]:
            write_section("## The assistant: similar cases on real reviews", lines)
