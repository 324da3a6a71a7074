"""The dispute workflow: every transition from every state, and only those."""

from __future__ import annotations

import pytest

from cases.models import State
from cases.workflows import transition_label
from tests.cases.workflow_table import (
    ALLOWED,
    REFUSED,
    WORKFLOW,
    case_in,
    data_for,
    transition_url,
)
from tests.snapshots import snapshot

# --- the table: every transition from every state -------------------------------------------------


@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_each_transition_moves_the_case_from_each_of_its_source_states(
    api, shop, agent, teammate, supervisor, name, source
):
    # given
    case = case_in(source, shop, agent)
    events = case.timeline.count()

    # when the supervisor (who may run every transition) runs it
    response = api(supervisor).post(transition_url(case, name), data_for(name, case, teammate),
                                    format="json")

    # then
    target = WORKFLOW[name][source]
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == target
    case.refresh_from_db()
    assert case.state == target
    # closing as resolved also prepares the buyer's satisfaction survey (its own event, after)
    survey = 1 if (name, target) == ("close", "closed") and source == "resolved" else 0
    assert case.timeline.count() == events + 1 + survey
    event = case.timeline.exclude(type="survey_prepared").order_by("at", "id").last()
    assert (event.type, event.actor, event.from_state, event.to_state) == (
        name, supervisor, source, target)


@pytest.mark.parametrize(("name", "source"), REFUSED)
def test_each_transition_is_refused_from_every_other_state(
    api, shop, agent, teammate, supervisor, name, source
):
    # given
    case = case_in(source, shop, agent)
    before = snapshot()

    # when
    response = api(supervisor).post(transition_url(case, name), data_for(name, case, teammate),
                                    format="json")

    # then
    assert response.status_code == 409
    assert response.json() == {"detail": f"“{transition_label(case, name)}” is not possible while "
                                         f"the case is “{State(source).label}”.", "state": source}
    assert snapshot() == before
