"""The assistant's figures (docs/BENCHMARKS.md): quality on the real review corpus and on a mixed
Chinese/English set, encoding speed and memory, the backfill, and the similar cases' answer time
at 100,000 resolved cases in one shop. Model and lexical baseline in one run."""

from __future__ import annotations

import csv
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from benchmarks.corpus import (
    cross_language_agreement,
    encode_cached,
    leave_one_out_agreement,
    negative_sample,
)
from benchmarks.measuring import peak_rss_mb
from cases.assistant.embedding import normalise, representation, to_bytes
from cases.models import Case, CaseVector, Kind, Shop, State

PAIRS = Path(settings.BASE_DIR) / "tests" / "data" / "assistant_zh_en_pairs.csv"
SHOP = "bench-assistant"


def chance(labels: list[str]) -> float:
    """Agreement by drawing a neighbour at random: the sum of the squared shares of the labels."""
    counts = Counter(labels)
    return sum((n / len(labels)) ** 2 for n in counts.values())


@dataclass
class Quality:
    key: str
    name: str
    agreement: float
    cross_language: float
    per_second: float
    per_cpu_second: float
    load_seconds: float
    rss_mb: float


def measure_quality(key: str, sample_size: int, speed_texts: int = 60) -> Quality:
    began = time.perf_counter()
    rep = representation(key)
    load = time.perf_counter() - began
    sample = negative_sample(sample_size)
    encoded = encode_cached(rep, sample.texts, tag="negatives")
    agreement = leave_one_out_agreement(encoded.vectors, sample.categories)
    english, chinese = pairs()
    cross = cross_language_agreement(rep.represent(english), rep.represent(chinese))
    texts = sample.texts[:speed_texts]
    began, cpu = time.perf_counter(), time.process_time()
    rep.represent(texts)
    speed = len(texts) / (time.perf_counter() - began)
    cpu_speed = len(texts) / (time.process_time() - cpu)
    return Quality(key, rep.name, agreement, cross, speed, cpu_speed, load, peak_rss_mb())


def pairs() -> tuple[list[str], list[str]]:
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [row["en"] for row in rows], [row["zh"] for row in rows]


# --- the answer time at 100,000 resolved cases in one shop ---------------------------------------

def seed_resolved(shop: Shop, wanted: int, dim: int, name: str, *, batch: int = 5000) -> int:
    """Top the bench shop up to `wanted` resolved refund cases, each with a random unit vector of
    the representation (their texts do not matter to the answer time); returns how many exist."""
    have = CaseVector.objects.filter(shop=shop, representation=name).count()
    rng = np.random.default_rng(18 + have)
    now = timezone.now()
    while have < wanted:
        size = min(batch, wanted - have)
        with transaction.atomic():
            cases = Case.objects.bulk_create([
                Case(shop=shop, kind=Kind.REFUND, state=State.CLOSED, description="bench",
                     opened_at=now - timedelta(days=30), resolved_at=now - timedelta(days=29),
                     closed_at=now - timedelta(days=28), closed_as="resolved",
                     chosen_remedy="partial_refund", core_problem="bench")
                for _ in range(size)])
            vectors = normalise(rng.standard_normal((size, dim)).astype(np.float32))
            CaseVector.objects.bulk_create([
                CaseVector(case=case, shop=shop, representation=name, vector=to_bytes(vector),
                           text_digest="bench", computed_at=now)
                for case, vector in zip(cases, vectors, strict=True)])
        have += size
    return have


@dataclass
class Latency:
    resolved: int
    cold_ms: float
    warm_median_ms: float
    warm_p95_ms: float
    warm_cpu_ms: float
    matrix_mb: float


def measure_similar(key: str, resolved: int, runs: int = 30) -> Latency:
    with override_settings(TEXT_REPRESENTATION=key):
        return _measure_similar(key, resolved, runs)


def _measure_similar(key: str, resolved: int, runs: int) -> Latency:
    from cases.assistant.similar import _MATRICES, forget_matrices
    from cases.assistant.suggestions import assist

    rep = representation(key)
    shop, _ = Shop.objects.get_or_create(code=SHOP, defaults={"name": "Assistant benchmark"})
    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-assistant-admin", password=None)
    seed_resolved(shop, resolved, rep.dim, rep.name)
    case = Case.objects.filter(shop=shop, vector__representation=rep.name).order_by("pk").first()
    forget_matrices()
    began = time.perf_counter()
    assist(case, user)
    cold = (time.perf_counter() - began) * 1000
    times = []
    cpu = time.process_time()
    for _ in range(runs):
        began = time.perf_counter()
        found = assist(case, user)
        times.append((time.perf_counter() - began) * 1000)
    cpu_ms = (time.process_time() - cpu) * 1000 / runs
    assert len(found.similar) == 5, "the bench shop's cases were not found"
    matrix = next(iter(_MATRICES.values()))
    times.sort()
    return Latency(len(matrix.case_ids), cold, statistics.median(times),
                   times[int(len(times) * 0.95) - 1], cpu_ms, matrix.vectors.nbytes / 2**20)


@dataclass
class Backfill:
    cases: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.cases / self.seconds


def measure_backfill(key: str, size: int) -> Backfill:
    """`represent_cases` (the backfill command's service) over `size` corpus reviews opened as
    cases of a shop of their own, through the import's bulk opening; their vectors are removed
    first, so each run measures the whole of it."""
    from cases.services.opening import Opening, open_cases
    from cases.services.vectors import represent_cases

    sample = negative_sample(size, seed=19)
    shop, _ = Shop.objects.get_or_create(code=f"{SHOP}-backfill",
                                         defaults={"name": "Assistant backfill"})
    opened = open_cases(by=None, shop=shop, kind=Kind.REFUND, openings=[
        Opening(external_id=f"OS10-{i}", description=text) for i, text in enumerate(sample.texts)])
    ids = sorted(opened.case_ids.values())
    with override_settings(TEXT_REPRESENTATION=key):
        CaseVector.objects.filter(case_id__in=ids).delete()
        began = time.perf_counter()
        for start in range(0, len(ids), 64):
            represent_cases(ids[start:start + 64])
        return Backfill(len(ids), time.perf_counter() - began)


def table(rows: list[list[Any]]) -> list[str]:
    head, *body = rows
    lines = ["| " + " | ".join(map(str, head)) + " |", "|" + " --- |" * len(head)]
    return lines + ["| " + " | ".join(map(str, row)) + " |" for row in body]
