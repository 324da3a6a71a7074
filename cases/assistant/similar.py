"""The resolved cases of a shop nearest to a case: cosine similarity over their vectors.

A shop's resolved cases' vectors are held in memory as one float32 matrix per process (for the
few shops asked about last), read in one query of bytes the first time and again only when the
shop's newest vector or newest resolution is newer than the matrix: one small query tells (two
index probes, read together with the case's own vector). A case reopened since is dropped when
its row is read. At 100,000 resolved cases the matrix is 146 MiB and an answer takes about 27 ms
of one core (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import (
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.utils.translation import gettext as _

from cases.assistant.embedding import from_bytes, matrix_from_bytes, representation
from cases.models import Case, CaseVector, Channel, Contact, Direction, Shop, TimelineEvent
from cases.selectors import readable_by
from config.service_errors import NotFound


@dataclass(frozen=True)
class ShopMatrix:
    stamp: tuple[Any, ...]
    case_ids: np.ndarray
    vectors: np.ndarray  # one unit row per resolved case


_MATRICES: OrderedDict[tuple[int, str], ShopMatrix] = OrderedDict()
_LOCK = threading.Lock()


def forget_matrices() -> None:
    """Drop every cached matrix (tests; a process that wants its memory back)."""
    with _LOCK:
        _MATRICES.clear()


@dataclass(frozen=True)
class Neighbour:
    case_id: int
    score: float


def nearest_resolved(case: Case, *, limit: int) -> list[Neighbour]:
    """Up to `limit` resolved cases of the case's shop, most similar first (the case itself left
    out); none while the case has no vector of the current representation (a worker makes it)."""
    rep = representation()
    latest_vector = CaseVector.objects.filter(shop_id=OuterRef("pk"), representation=rep.name)
    own = CaseVector.objects.filter(case_id=case.pk, representation=rep.name)
    row = Shop.objects.filter(pk=case.shop_id).annotate(
        own=Subquery(own.values("vector")[:1]),
        vectors_at=Subquery(latest_vector.order_by("-computed_at").values("computed_at")[:1]),
        resolved_at=Subquery(Case.objects.filter(shop_id=OuterRef("pk"), resolved_at__isnull=False)
                             .order_by("-resolved_at").values("resolved_at")[:1]),
    ).values_list("own", "vectors_at", "resolved_at").first()
    if row is None or row[0] is None:
        return []
    matrix = _shop_matrix(case.shop_id, rep.name, stamp=(row[1], row[2]), dim=rep.dim)
    if not len(matrix.case_ids):
        return []
    scores = matrix.vectors @ from_bytes(bytes(row[0]))
    scores[matrix.case_ids == case.pk] = -np.inf
    take = min(limit, len(scores))
    top = np.argpartition(-scores, take - 1)[:take]
    top = top[np.argsort(-scores[top])]
    return [Neighbour(int(matrix.case_ids[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]


def _shop_matrix(shop_id: int, name: str, *, stamp: tuple[Any, ...], dim: int) -> ShopMatrix:
    key = (shop_id, name)
    with _LOCK:
        cached = _MATRICES.get(key)
        if cached is not None and cached.stamp == stamp:
            _MATRICES.move_to_end(key)
            return cached
    rows = list(CaseVector.objects.filter(shop_id=shop_id, representation=name,
                                          case__resolved_at__isnull=False)
                .order_by().values_list("case_id", "vector"))
    matrix = ShopMatrix(stamp, np.array([r[0] for r in rows], dtype=np.int64),
                        matrix_from_bytes([bytes(r[1]) for r in rows], dim))
    with _LOCK:
        _MATRICES[key] = matrix
        _MATRICES.move_to_end(key)
        while len(_MATRICES) > settings.SIMILAR_CACHED_SHOPS:
            _MATRICES.popitem(last=False)
    return matrix


def case_for_assistant(user: Any, pk: int) -> Case:
    """The case (its row alone) when this user may read it; NotFound otherwise."""
    case = readable_by(user).filter(pk=pk).first()
    if case is None:
        raise NotFound(_("There is no case %(id)s.") % {"id": pk})
    return case


def resolved_cases(user: Any, ids: list[int]) -> QuerySet[Case]:
    """The resolved cases among `ids` this user may read, with what the assistant shows of each:
    `reply` (the last message to the buyer up to the resolution that passed the phrase check, or
    None), `reopened` (ever), `cause` and `revised_rating` (a negative-review case's review)."""
    replies = Contact.objects.filter(
        case=OuterRef("pk"), direction=Direction.OUTBOUND, phrase_hits=[],
        at__lte=OuterRef("resolved_at"),
    ).exclude(channel=Channel.CALL).exclude(body="").order_by("-at", "-id")
    return readable_by(user).filter(pk__in=ids, resolved_at__isnull=False).annotate(
        reply=Subquery(replies.values("body")[:1]),
        reopened=Exists(TimelineEvent.objects.filter(case=OuterRef("pk"), type="reopen")),
        cause=F("review__cause"), revised_rating=F("review__revised_rating"),
    ).order_by()


@dataclass(frozen=True)
class SimilarCase:
    id: int
    score: float
    kind: str
    kind_label: str
    core_problem: str
    cause: str
    cause_label: str
    remedy: str
    remedy_label: str
    amount: Decimal | None
    resolved_in_hours: float
    reply: str
    opened_at: datetime

    def as_api(self) -> dict[str, Any]:
        """The API's shape (docs/api.md, GET /api/v1/cases/{id}/similar/)."""
        return {"id": self.id, "score": round(self.score, 3), "kind": self.kind,
                "core_problem": self.core_problem, "cause": self.cause or None,
                "remedy": self.remedy or None, "amount": self.amount,
                "resolved_in_hours": self.resolved_in_hours, "reply": self.reply}


def cause_label(code: str) -> str:
    """A review cause's words (the choices of the review's `cause`, read through the relation:
    the cases app does not import the reviews app)."""
    if not code:
        return ""
    field = Case._meta.get_field("review").related_model._meta.get_field("cause")
    return str(dict(field.flatchoices).get(code, code))


def as_similar(case: Case, score: float) -> SimilarCase:
    hours = (case.resolved_at - case.opened_at).total_seconds() / 3600
    return SimilarCase(
        id=case.pk, score=score, kind=case.kind, kind_label=case.get_kind_display(),
        core_problem=case.core_problem, cause=case.cause or "", cause_label=cause_label(case.cause),
        remedy=case.chosen_remedy, remedy_label=case.get_chosen_remedy_display(),
        amount=case.remedy_amount, resolved_in_hours=round(max(hours, 0.0), 1),
        reply=case.reply or "", opened_at=case.opened_at,
    )


def scored(user: Any, neighbours: list[Neighbour]) -> list[tuple[Case, float]]:
    """The neighbours' rows this user may read, still resolved, most similar first."""
    score = {n.case_id: n.score for n in neighbours}
    rows = resolved_cases(user, list(score))
    return sorted(((row, score[row.pk]) for row in rows), key=lambda pair: -pair[1])

