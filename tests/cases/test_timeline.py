"""Every transition on the append-only timeline."""

from __future__ import annotations

import pytest
from django.db import transaction

from cases import services
from cases.models import AppendOnlyError, Case, TimelineEvent
from config.service_errors import Conflict, InvalidInput, NotAllowed
from tests.factories import (
    STEP_DATA,
    open_case,
    step,
    walk,
)
from tests.snapshots import snapshot

# --- the timeline ----------------------------------------------------------------------------------


def test_every_transition_writes_one_event_with_its_actor_states_and_data(shop, agent, supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen", "propose")
    case = step(case, "escalate", supervisor)

    events = list(case.timeline.order_by("at", "id")
                  .values_list("type", "actor__username", "from_state", "to_state", "data"))

    assert events == [
        ("case_opened", "agent1", "", "new", {"kind": "refund", "external_id": case.external_id}),
        ("case_claimed", "agent1", "new", "new", {"assignee": "agent1"}),
        ("acknowledge", "agent1", "new", "acknowledged", STEP_DATA["acknowledge"]),
        ("calm", "agent1", "acknowledged", "calmed", STEP_DATA["calm"]),
        ("listen", "agent1", "calmed", "understood", {
            "core_problem": STEP_DATA["listen"]["core_problem"], "tracking_status": "lost",
            "evidence": STEP_DATA["listen"]["evidence"]}),
        ("propose", "agent1", "understood", "proposed", {"remedy": "partial_refund",
                                                        "amount": "30.00"}),
        ("escalate", "supervisor1", "proposed", "escalated", STEP_DATA["escalate"]),
    ]


def test_the_system_escalating_a_case_is_recorded_without_an_actor(shop, agent):
    case = open_case(shop, by=agent)

    step(case, "escalate", None)

    event = case.timeline.order_by("at", "id").last()
    assert (event.type, event.actor, event.from_state, event.to_state) == (
        "escalate", None, "new", "escalated")


@pytest.mark.parametrize(("name", "data", "error"), [
    pytest.param("propose", {}, Conflict, id="refused-by-state"),
    pytest.param("acknowledge", {"message": ""}, InvalidInput, id="bad-data"),
    pytest.param("hand_over", {"to": "agent2", "reason": "x"}, NotAllowed, id="not-allowed"),
])
def test_a_failed_transition_writes_nothing_and_claims_nothing(shop, agent, teammate, name, data,
                                                               error):
    # given an unassigned new case (acting on it would claim it)
    case = open_case(shop, by=agent)
    before = snapshot()

    # when the agent's transition fails
    with pytest.raises(error):
        services.run_transition(case_id=case.pk, name=name, by=agent, data=data)

    # then nothing was written: no event, no claim, no field
    assert snapshot() == before
    assert Case.objects.get(pk=case.pk).assignee is None


def test_timeline_events_cannot_be_changed(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    event = case.timeline.order_by("at", "id").last()

    event.type = "calm"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        TimelineEvent.objects.filter(pk=event.pk).update(type="calm")
    with pytest.raises(AppendOnlyError):
        case.timeline.update(type="calm")
    with pytest.raises(AppendOnlyError), transaction.atomic():
        TimelineEvent.objects.bulk_update([event], ["type"])

    assert TimelineEvent.objects.get(pk=event.pk).type == "acknowledge"


def test_timeline_events_cannot_be_deleted(shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    count = case.timeline.count()

    with pytest.raises(AppendOnlyError):
        case.timeline.order_by("at", "id").last().delete()
    with pytest.raises(AppendOnlyError):
        TimelineEvent.objects.filter(case=case).delete()
    with pytest.raises(AppendOnlyError):
        case.timeline.all().delete()

    assert case.timeline.count() == count


def test_a_case_with_a_timeline_cannot_be_deleted(shop, agent):
    from django.db.models import ProtectedError

    case = open_case(shop, by=agent)

    with pytest.raises(ProtectedError):
        case.delete()

    assert Case.objects.filter(pk=case.pk).exists()


def test_acknowledging_records_the_first_response_time(shop, agent):
    case = open_case(shop, by=agent)

    case = step(case, "acknowledge", agent)

    case.refresh_from_db()
    assert case.first_responded_at is not None
    assert case.first_responded_at >= case.opened_at
