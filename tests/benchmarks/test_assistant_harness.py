"""The assistant's benchmark harness works (never its figures): leave-one-out agreement, the
cross-language match, the cached encoding that resumes, and the corpus sample when it is there."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import corpus
from benchmarks.assistant import chance, pairs
from cases.assistant.embedding import normalise, representation


def test_leave_one_out_never_counts_a_text_as_its_own_neighbour():
    vectors = normalise(np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32))

    assert corpus.leave_one_out_agreement(vectors, ["a", "a", "b", "b"], block=3) == 1.0
    assert corpus.leave_one_out_agreement(vectors, ["a", "b", "a", "b"]) == 0.0


def test_the_cross_language_match_asks_for_the_pairs_own_text():
    english = np.eye(3, dtype=np.float32)

    assert corpus.cross_language_agreement(english, english) == 1.0
    assert corpus.cross_language_agreement(english, english[[1, 0, 2]]) == pytest.approx(1 / 3)


def test_the_chance_of_agreement_is_the_sum_of_squared_shares():
    assert chance(["a", "a", "b", "b"]) == 0.5


def test_the_mixed_language_set_holds_50_pairs():
    english, chinese = pairs()

    assert len(english) == len(chinese) == 50
    assert all(text.isascii() for text in english) and not any(text.isascii() for text in chinese)


def test_the_encoding_is_cached_by_chunk_and_a_second_run_encodes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "CACHE", tmp_path)
    monkeypatch.setattr(corpus, "CHUNK", 2)
    texts = ["杯子有裂痕", "快递太慢", "颜色不对", "尺码偏小", "客服态度差"]

    first = corpus.encode_cached(representation("lexical"), texts, tag="t")
    second = corpus.encode_cached(representation("lexical"), texts, tag="t")

    assert first.encoded_now == 5 and second.encoded_now == 0
    assert np.allclose(first.vectors, second.vectors)


@pytest.mark.skipif(not corpus.CORPUS.exists(), reason="the review corpus is not in ../shared/data/")
def test_the_sample_is_the_same_negative_reviews_every_time():
    one, two = corpus.negative_sample(50), corpus.negative_sample(50)

    assert one == two and len(set(one.categories)) > 1
    assert all(text and "\ufeff" not in text for text in one.texts)
