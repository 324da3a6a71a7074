"""Computing the vectors of cases' buyer texts (a worker's job: never inside a request)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, Q
from django.utils import timezone

from cases.assistant.embedding import representation, to_bytes
from cases.assistant.text import buyer_text, digest
from cases.models import Case, CaseVector, Contact, Direction
from config.enqueue import enqueue_on_commit


def represent_cases(case_ids: Sequence[int]) -> int:
    """Compute (or bring up to date) the vector of each case; returns how many were written.

    Safe to run twice and at once: a case whose vector was made by the current representation
    from the same text is left alone, and the row is written with one upsert. A case with no
    buyer text yet has no vector.
    """
    rep = representation()
    cases = list(Case.objects.filter(pk__in=list(case_ids)).select_related("review").prefetch_related(
        Prefetch("contacts", Contact.objects.filter(direction=Direction.INBOUND).order_by("at", "id"))))
    known = {case_id: (name, text_digest) for case_id, name, text_digest in CaseVector.objects.filter(
        case_id__in=[case.pk for case in cases]).values_list("case_id", "representation", "text_digest")}
    todo = []
    for case in cases:
        text = buyer_text(case)
        if text and known.get(case.pk) != (rep.name, digest(text)):
            todo.append((case, text))
    if not todo:
        return 0
    vectors = rep.represent([text for _, text in todo])
    now = timezone.now()
    CaseVector.objects.bulk_create(
        [CaseVector(case_id=case.pk, shop_id=case.shop_id, representation=rep.name,
                    vector=to_bytes(vector), text_digest=digest(text), computed_at=now)
         for (case, text), vector in zip(todo, vectors, strict=True)],
        update_conflicts=True, unique_fields=["case"],
        update_fields=["representation", "vector", "text_digest", "computed_at"])
    return len(todo)


def cases_to_represent(*, shop_id: int | None = None, after: int = 0) -> Q:
    """The cases the backfill still has to look at: no vector, or one of another representation."""
    condition = Q(pk__gt=after) & (Q(vector__isnull=True)
                                   | ~Q(vector__representation=representation().name))
    return condition & Q(shop_id=shop_id) if shop_id is not None else condition


def represent_after_commit(case_ids: Sequence[int]) -> None:
    """Have a worker compute these cases' vectors once the transaction commits (a case opened, a
    buyer wrote): never inside the request; a lost enqueue is made up by `represent_cases`."""
    ids = sorted(set(case_ids))
    if ids:
        enqueue_on_commit("cases.tasks.represent_cases", ids)
