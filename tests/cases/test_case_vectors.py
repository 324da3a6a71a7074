"""A case's buyer text becomes a vector: by a worker after the case opens or the buyer writes,
stored as float16 bytes with the representation that made it, and backfilled by a command."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases import services
from cases.assistant.embedding import from_bytes, representation, to_bytes
from cases.models import CaseVector, Kind
from cases.services.vectors import represent_cases
from tests.cases.assistant_cases import CRACKED, LATE, buyer_writes, represent
from tests.factories import open_case


def test_opening_a_case_enqueues_its_vector_after_commit_not_inside_the_request(
    shop, agent, django_capture_on_commit_callbacks, monkeypatch
):
    from cases import tasks

    sent = []
    monkeypatch.setattr(tasks.represent_cases, "apply_async", lambda args, **kw: sent.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        case = open_case(shop, by=agent, description=CRACKED)
        assert sent == []  # nothing before the commit
        assert not CaseVector.objects.exists()

    assert sent == [([case.pk],)]


def test_a_buyer_message_enqueues_the_vector_again(shop, agent, django_capture_on_commit_callbacks,
                                                    monkeypatch):
    from cases import tasks

    case = open_case(shop, by=agent, description=CRACKED)
    sent = []
    monkeypatch.setattr(tasks.represent_cases, "apply_async", lambda args, **kw: sent.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        buyer_writes(case, LATE)

    assert sent == [([case.pk],)]


def test_the_vector_is_made_from_the_description_the_review_and_the_buyers_messages(shop, agent):
    case = open_case(shop, by=agent, description=CRACKED)
    assert represent(case) == 1
    first = CaseVector.objects.get(case=case)

    buyer_writes(case, LATE)
    assert represent(case) == 1
    second = CaseVector.objects.get(case=case)

    assert first.text_digest != second.text_digest
    assert second.representation == representation().name
    assert len(bytes(second.vector)) == representation().dim * 2  # float16


def test_computing_a_vector_twice_writes_it_once(shop, agent):
    case = open_case(shop, by=agent, description=CRACKED)

    assert represent(case) == 1
    assert represent(case) == 0
    assert CaseVector.objects.count() == 1


def test_a_case_without_buyer_text_gets_no_vector(shop, agent):
    case = open_case(shop, by=agent, description="")

    assert represent(case) == 0
    assert not CaseVector.objects.exists()


def test_a_change_of_representation_is_seen_and_the_vector_computed_again(shop, agent):
    case = open_case(shop, by=agent, description=CRACKED)
    represent(case)
    CaseVector.objects.filter(case=case).update(representation="an-older-model")

    assert represent(case) == 1
    assert CaseVector.objects.get(case=case).representation == representation().name


def test_a_vector_survives_the_round_trip_through_float16_bytes():
    vector = representation().represent([CRACKED])[0]

    back = from_bytes(to_bytes(vector))

    assert back.dtype == np.float32
    assert float(np.dot(back, vector)) == pytest.approx(1.0, abs=1e-3)


def test_the_lexical_representation_finds_the_text_that_shares_its_words():
    rep = representation("lexical")
    vectors = rep.represent([CRACKED, LATE, "杯子有裂痕", "The parcel was late", ""])

    assert vectors.shape == (5, rep.dim)
    assert np.allclose(np.linalg.norm(vectors[:4], axis=1), 1.0, atol=1e-5)
    assert vectors[2] @ vectors[0] > vectors[2] @ vectors[1]
    assert not vectors[4].any()  # nothing to say: a zero vector, never a NaN


def test_the_backfill_writes_every_missing_vector_and_a_second_run_writes_none(shop, agent, capsys):
    cases = [open_case(shop, by=agent, kind=Kind.REFUND, description=f"{CRACKED} {i}")
             for i in range(5)]
    represent(cases[0])  # one already done (a run that stopped halfway)

    call_command("represent_cases", "--batch-size", "2", verbosity=0)
    first = capsys.readouterr().out
    call_command("represent_cases", verbosity=0)
    second = capsys.readouterr().out

    assert CaseVector.objects.count() == 5
    assert first.startswith("4 vectors written")
    assert second.startswith("0 vectors written")


def test_the_backfill_refuses_an_unknown_shop_and_a_batch_of_nothing(db):
    with pytest.raises(CommandError, match="no shop"):
        call_command("represent_cases", "--shop", "nowhere", verbosity=0)
    with pytest.raises(CommandError, match="batch-size"):
        call_command("represent_cases", "--batch-size", "0", verbosity=0)


def test_the_task_takes_ids_and_ignores_a_case_that_is_gone(shop, agent):
    from cases.tasks import represent_cases as task

    case = open_case(shop, by=agent, description=CRACKED)

    assert task([case.pk, 999_999]) == 1
    assert represent_cases([]) == 0


def test_an_imported_batch_of_cases_enqueues_one_task(shop, agent, django_capture_on_commit_callbacks,
                                                      monkeypatch):
    from cases import tasks
    from cases.services.opening import Opening

    sent = []
    monkeypatch.setattr(tasks.represent_cases, "apply_async", lambda args, **kw: sent.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        opened = services.open_cases(by=agent, shop=shop, kind=Kind.REFUND, openings=[
            Opening(external_id=f"IMP-{i}", description=CRACKED) for i in range(3)])

    assert sent == [(sorted(case.pk for case in opened.opened),)]
