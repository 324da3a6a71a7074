"""Which workflow serves each kind of case.

A workflow is a proxy model of Case with its django-fsm transitions, the input each transition
needs, the effects a transition has beyond the case row (evidence rows, a review's fields), and,
where a kind needs more than the common case data when it is opened, that data's input and effect.
The queue, the timeline, the contacts, the services, the API and the admin serve every workflow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q
from django_fsm import Transition
from rest_framework import serializers

from cases.models import Case

Effect = Callable[[Case, Any, dict[str, Any]], None]


@dataclass(frozen=True)
class Workflow:
    model: type[Case]
    inputs: Mapping[str, type[serializers.Serializer]]
    effects: Mapping[str, Effect] = field(default_factory=dict)
    # Extra data a kind needs when it is opened (e.g. the review): validated, then applied.
    open_input: type[serializers.Serializer] | None = None
    on_open: Effect | None = None
    external_id: Callable[[dict[str, Any]], str] | None = None
    # When the marketplace's clock starts, from the opening data (default: when the case opens),
    # e.g. a review's revision window runs from when the review was posted.
    marketplace_from: Callable[[dict[str, Any]], datetime] | None = None
    # Whether what the marketplace sent opens a case at all (a good review opens none): False only
    # when it surely opens none; data that is not valid goes on to the service, which says why.
    opens_case: Callable[[dict[str, Any]], bool] | None = None


_WORKFLOWS: dict[str, Workflow] = {}


def register_workflow(workflow: Workflow, *kinds: str) -> None:
    for kind in kinds:
        _WORKFLOWS[kind] = workflow


def workflow_for(kind: str) -> Workflow:
    return _WORKFLOWS[kind]


def registered_kinds() -> list[str]:
    return list(_WORKFLOWS)


def as_workflow(case: Case) -> Case:
    """The same row, as its kind's workflow model (django-fsm swaps classes the same way)."""
    model = _WORKFLOWS[case.kind].model
    if type(case) is not model:
        case.__class__ = model
    return case


def transitions_of(case: Case) -> dict[str, Transition]:
    """Every transition of the case's workflow by name (the first declaration of each)."""
    by_name: dict[str, Transition] = {}
    for t in as_workflow(case).get_all_state_transitions():
        by_name.setdefault(t.name, t)
    return by_name


def transition_label(case: Case, name: str) -> str:
    """What people call the transition (its workflow's label: "Propose remedy"), never its code."""
    spec = transitions_of(case).get(name)
    label = spec.custom.get("label") if spec is not None else None
    return str(label) if label else name.replace("_", " ")


def states_allowing(name: str) -> Q:
    """The cases whose workflow has transition `name` from their state, as a query condition."""
    condition = Q(pk__in=[])
    for kind, workflow in _WORKFLOWS.items():
        state_field = workflow.model._meta.get_field("state")
        sources = {t.source for t in state_field.get_all_transitions(workflow.model) if t.name == name}
        if sources & {"*", "+"}:  # from any state
            condition |= Q(kind=kind)
        elif sources:
            condition |= Q(kind=kind, state__in=sorted(sources))
    return condition


def transition_input(case: Case, name: str) -> type[serializers.Serializer]:
    return _WORKFLOWS[case.kind].inputs[name]


def transition_from(case: Case, name: str) -> Transition | None:
    """The transition `name` of the case's workflow from the state the case is in, or None.

    Read through django-fsm's public `get_all_state_transitions` (one Transition per source state):
    a source of "*" is any state, "+" any state but its target, as django-fsm itself matches them.
    """
    anywhere = None
    for t in as_workflow(case).get_all_state_transitions():
        if t.name != name:
            continue
        if t.source == case.state:
            return t
        if t.source == "*" or (t.source == "+" and t.target != case.state):
            anywhere = t
    return anywhere


def state_allows(case: Case, name: str) -> bool:
    """Whether the case's workflow has transition `name` from its current state (no user check:
    for the system's own steps, e.g. escalating a breached case)."""
    return transition_from(case, name) is not None


def step_labels(kind: str | None = None) -> dict[str, Any]:
    """name → label of every transition of the kind's workflow (no kind: of every workflow), in
    the order of the workflows' inputs (the order of the work); the steps a quick reply may be
    written for."""
    workflows = [_WORKFLOWS[kind]] if kind else list(_WORKFLOWS.values())
    labels: dict[str, Any] = {}
    for workflow in workflows:
        model = workflow.model
        found = {t.name: t.custom.get("label", t.name)
                 for t in model._meta.get_field("state").get_all_transitions(model)}
        for name in [*workflow.inputs, *found]:
            if name in found:
                labels.setdefault(name, found[name])
    return labels
