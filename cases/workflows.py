"""Which workflow (a proxy model of Case with its own transitions) serves each kind of case."""

from __future__ import annotations

from django_fsm import Transition

from cases.models import Case, Dispute, Kind

_WORKFLOWS: dict[str, type[Case]] = {}


def register_workflow(model: type[Case], *kinds: str) -> None:
    for kind in kinds:
        _WORKFLOWS[kind] = model


def workflow_model(kind: str) -> type[Case]:
    return _WORKFLOWS[kind]


def registered_kinds() -> list[str]:
    return list(_WORKFLOWS)


def as_workflow(case: Case) -> Case:
    """The same row, as its kind's workflow model (django-fsm swaps classes the same way)."""
    model = _WORKFLOWS[case.kind]
    if type(case) is not model:
        case.__class__ = model
    return case


def transitions_of(case: Case) -> dict[str, Transition]:
    """Every transition of the case's workflow by name (the first declaration of each)."""
    by_name: dict[str, Transition] = {}
    for t in as_workflow(case).get_all_state_transitions():
        by_name.setdefault(t.name, t)
    return by_name


register_workflow(Dispute, Kind.REFUND, Kind.NON_DELIVERY, Kind.NOT_AS_DESCRIBED)
