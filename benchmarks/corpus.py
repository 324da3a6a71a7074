"""The review corpus in ../shared/data/ for the assistant's figures: read in place, never copied.

A fixed, seeded sample of negative reviews is encoded once per representation, in chunks cached
under var/bench/assistant/ (outside git): a run that stops is resumed where it stopped, and a
second run encodes nothing.
"""

from __future__ import annotations

import csv
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from cases.assistant.embedding import Representation

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "data" / "online_shopping_10_cats.csv"
CACHE = Path(settings.VAR_DIR) / "bench" / "assistant"
SEED = 18
CHUNK = 250


@dataclass(frozen=True)
class Sample:
    texts: list[str]
    categories: list[str]


def negative_sample(size: int, *, path: Path = CORPUS, seed: int = SEED) -> Sample:
    """`size` negative reviews (label 0) drawn with a fixed seed; empty texts left out."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(row["review"].replace("\ufeff", "").strip(), row["cat"])
                for row in csv.DictReader(handle) if row["label"] == "0"]
    rows = [row for row in rows if row[0]]
    picked = random.Random(seed).sample(rows, min(size, len(rows)))
    return Sample([text for text, _ in picked], [cat for _, cat in picked])


@dataclass
class Encoded:
    vectors: np.ndarray
    encoded_now: int  # texts encoded by this run (not read from the cache)
    seconds: float  # the time this run spent encoding them


def encode_cached(rep: Representation, texts: list[str], *, tag: str,
                  progress: Callable[[int], None] | None = None) -> Encoded:
    """The texts' vectors, chunk by chunk, each chunk cached as float16 (as the product stores them)."""
    folder = CACHE / f"{tag}-{rep.name.replace('/', '_')}-{len(texts)}"
    folder.mkdir(parents=True, exist_ok=True)
    parts, encoded, spent = [], 0, 0.0
    for start in range(0, len(texts), CHUNK):
        chunk = folder / f"{start:07d}.npy"
        if chunk.exists():
            part = np.load(chunk)
        else:
            began = time.perf_counter()
            part = rep.represent(texts[start:start + CHUNK]).astype(np.float16)
            spent += time.perf_counter() - began
            encoded += len(part)
            np.save(chunk.with_suffix(".tmp.npy"), part)
            chunk.with_suffix(".tmp.npy").rename(chunk)
        parts.append(part.astype(np.float32))
        if progress:
            progress(len(part))
    return Encoded(np.vstack(parts), encoded, spent)


def leave_one_out_agreement(vectors: np.ndarray, labels: list[str], *, block: int = 1000) -> float:
    """The share of texts whose nearest other text (cosine) has the same label."""
    names = np.array(labels)
    hits = 0
    for start in range(0, len(vectors), block):
        scores = vectors[start:start + block] @ vectors.T
        rows = np.arange(len(scores))
        scores[rows, rows + start] = -np.inf  # leave the text itself out
        hits += int((names[scores.argmax(axis=1)] == names[start:start + block]).sum())
    return hits / len(vectors)


def cross_language_agreement(english: np.ndarray, chinese: np.ndarray) -> float:
    """Pairs i: the share of English texts whose nearest Chinese text is their own pair's."""
    return float((np.argmax(english @ chinese.T, axis=1) == np.arange(len(english))).mean())
