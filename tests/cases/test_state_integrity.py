"""A case's state changes only through its transitions: no form, payload or admin field sets it."""

from cases.models import Case, State
from tests.factories import case_payload, open_case, walk


def test_a_state_sent_when_opening_a_case_is_ignored(api, shop, agent):
    response = api(agent).post(
        "/api/v1/cases/", case_payload(shop, state="resolved", resolved_at="2026-01-01T00:00:00Z"),
        format="json",
    )

    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.state == State.NEW and case.resolved_at is None


def test_the_api_has_no_way_to_edit_a_case_directly(api, shop, agent):
    case = open_case(shop, by=agent)

    for method in ("put", "patch", "delete"):
        response = getattr(api(agent), method)(f"/api/v1/cases/{case.pk}/", {"state": "closed"},
                                               format="json")
        assert response.status_code == 405

    assert Case.objects.get(pk=case.pk).state == State.NEW


def test_the_admin_change_form_cannot_set_the_state(client, shop, agent, supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    client.force_login(supervisor)

    response = client.post(f"/admin/cases/case/{case.pk}/change/", {
        "state": "closed", "description": "rewritten", "assignee": supervisor.pk,
        **{f"{p}-{k}": "0" for p in ("timeline", "contacts", "evidence")
           for k in ("TOTAL_FORMS", "INITIAL_FORMS")},
    })

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.description, case.assignee) == (State.ACKNOWLEDGED,
                                                              "买家申请退款：收到的杯子有裂痕。", agent)
    assert list(case.timeline.values_list("type", flat=True)) == [
        "case_opened", "case_claimed", "acknowledge"]


def test_the_state_field_is_not_editable_in_forms():
    assert Case._meta.get_field("state").editable is False


def test_the_state_cannot_be_assigned_outside_a_transition(db, shop, agent):
    import pytest

    case = open_case(shop, by=agent)

    with pytest.raises(AttributeError, match="state"):
        case.state = State.CLOSED

    assert Case.objects.get(pk=case.pk).state == State.NEW


def test_a_protected_state_still_reloads_and_moves_by_its_transitions(db, shop, agent):
    case = open_case(shop, by=agent)
    walk(case, agent, "acknowledge")

    case.refresh_from_db()

    assert case.state == State.ACKNOWLEDGED
