"""The Django admin: transition buttons and forms run through the service; forged POSTs change
nothing; the timeline is read-only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages

from cases.models import Case, Evidence, Kind, State, TimelineEvent
from tests.factories import TO_RESOLVED, UserFactory, open_case, walk

# The change form's inlines, empty: what the browser sends along with a button.
INLINES = {f"{prefix}-{key}": "0" for prefix in ("evidence", "contacts", "timeline")
           for key in ("TOTAL_FORMS", "INITIAL_FORMS")}


def change_url(case: Case) -> str:
    return f"/admin/cases/case/{case.pk}/change/"


def form_url(case: Case, name: str) -> str:
    return f"/admin/cases/case/{case.pk}/transition/{name}/"


def buttons(response: Any) -> list[str]:
    html = response.content.decode()
    return re.findall(r'name="_fsm_transition_to"\s+value="([a-z_]+)"', html)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def unchanged(case: Case) -> tuple[Any, ...]:
    row = Case.objects.values_list("state", "assignee_id", "calmed_at", "chosen_remedy").get(pk=case.pk)
    return (*row, TimelineEvent.objects.filter(case=case).count())


def staff_agent(shop: Any) -> Any:
    """An agent someone made staff and gave the admin's case permissions (a misconfiguration)."""
    user = UserFactory(username="staff-agent", role="agent", shops=[shop], is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="cases", codename__in=["view_case", "change_case"]))
    return user


# --- buttons -----------------------------------------------------------------------------------------


def test_the_case_page_shows_the_supervisor_a_button_for_each_step_they_may_take(
    client, shop, agent, supervisor
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    client.force_login(supervisor)

    response = client.get(change_url(case))

    assert response.status_code == 200
    assert buttons(response) == ["calm", "escalate", "hand_over", "withdraw"]


def test_an_agent_with_admin_access_gets_no_hand_over_button(client, shop):
    user = staff_agent(shop)
    case = walk(open_case(shop, by=user), user, "acknowledge")
    client.force_login(user)

    response = client.get(change_url(case))

    assert response.status_code == 200
    assert buttons(response) == ["calm", "escalate", "withdraw"]


def test_a_resolved_case_shows_no_close_button_until_the_buyer_was_reached(
    client, shop, agent, supervisor
):
    case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
    client.force_login(supervisor)

    assert buttons(client.get(change_url(case))) == []


# --- a button, its form, the service -----------------------------------------------------------------


def test_a_transition_button_opens_its_form_and_the_form_runs_the_service(
    client, shop, agent, supervisor
):
    # given
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    events = case.timeline.count()
    client.force_login(supervisor)

    # when the supervisor clicks "Calm"
    clicked = client.post(change_url(case), {**INLINES, "_fsm_transition_to": "calm"})

    # then the form opens, and nothing has happened yet
    assert clicked.status_code == 302
    assert clicked["Location"] == form_url(case, "calm")
    assert unchanged(case)[0] == State.ACKNOWLEDGED
    form = client.get(form_url(case, "calm"))
    assert form.status_code == 200
    assert 'name="note"' in form.content.decode()

    # when the form is sent
    sent = client.post(form_url(case, "calm"), {"note": "Apologised; let the buyer vent."})

    # then the service ran: new state, one event by the supervisor with the data
    assert sent.status_code == 302
    assert sent["Location"] == change_url(case)
    assert Case.objects.get(pk=case.pk).state == State.CALMED
    assert case.timeline.count() == events + 1
    event = case.timeline.order_by("at", "id").last()
    assert (event.type, event.actor, event.from_state, event.to_state, event.data) == (
        "calm", supervisor, "acknowledged", "calmed", {"note": "Apologised; let the buyer vent."})
    assert messages_of(sent) == ["Done: calm."]


def test_a_hand_over_in_the_admin_gives_the_case_to_the_new_agent(
    client, shop, agent, teammate, supervisor
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")
    client.force_login(supervisor)

    response = client.post(form_url(case, "hand_over"), {"to": teammate.username,
                                                         "reason": "A fresh voice."})

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.assignee, case.calmed_at) == (State.ACKNOWLEDGED, teammate, None)
    assert case.timeline.order_by("at", "id").last().data == {"to": "agent2",
                                                              "reason": "A fresh voice."}


def test_the_listen_form_stores_the_buyers_evidence_line_by_line(client, shop, agent, supervisor):
    case = walk(open_case(shop, by=agent, kind=Kind.NOT_AS_DESCRIBED), agent, "acknowledge", "calm")
    client.force_login(supervisor)

    response = client.post(form_url(case, "listen"), {
        "core_problem": "Wrong colour.", "tracking_status": "",
        "evidence": "photo: IMG_7.jpg\n\nRed, not blue as listed.\n"})

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.UNDERSTOOD
    assert list(Evidence.objects.filter(case=case).order_by("id").values_list(
        "photo", "description", "added_by")) == [
        ("IMG_7.jpg", "", supervisor.pk), ("", "Red, not blue as listed.", supervisor.pk)]


def test_bad_data_in_a_transition_form_is_shown_and_changes_nothing(client, shop, agent, supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")
    before = unchanged(case)
    client.force_login(supervisor)

    response = client.post(form_url(case, "propose"), {"remedy": "partial_refund",
                                                       "amount": "500.00"})

    assert response.status_code == 200  # the form again, with the service's reason
    assert any("A refund can never exceed what was paid (128.00)." in m
               for m in messages_of(response))
    assert unchanged(case) == before


def test_a_guard_refusing_in_the_admin_says_why_and_changes_nothing(client, shop, agent, supervisor):
    case = walk(open_case(shop, by=agent), agent, *TO_RESOLVED)
    before = unchanged(case)
    client.force_login(supervisor)

    response = client.post(form_url(case, "close"), {"note": ""})

    assert response.status_code == 200
    assert any("Reach the buyer after the resolution" in m for m in messages_of(response))
    assert unchanged(case) == before


# --- forged POSTs --------------------------------------------------------------------------------------


def forged_posts(case: Case, name: str, data: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    return [(change_url(case), {**INLINES, "_fsm_transition_to": name}), (form_url(case, name), data)]


def test_a_supervisor_of_another_shop_cannot_act_on_the_case_through_the_admin(
    client, shop, other_shop, agent, teammate
):
    # given a staff supervisor of the other shop
    foreign = UserFactory(username="boss-elsewhere", role="supervisor", shops=[other_shop],
                          is_staff=True)
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    before = unchanged(case)
    client.force_login(foreign)

    # the page is not theirs
    assert client.get(change_url(case)).status_code == 302

    # when they post by hand
    for name, data in [("hand_over", {"to": teammate.username, "reason": "Mine now."}),
                       ("calm", {"note": "x"}), ("withdraw", {"reason": "x"})]:
        for url, body in forged_posts(case, name, data):
            response = client.post(url, body)
            assert response.status_code == 302, url
            assert not response["Location"].startswith(form_url(case, name))

    # then
    assert unchanged(case) == before


def test_an_agent_given_admin_access_cannot_hand_over_through_the_admin(client, shop, teammate):
    user = staff_agent(shop)
    case = walk(open_case(shop, by=user), user, "acknowledge")
    before = unchanged(case)
    client.force_login(user)

    response = client.post(form_url(case, "hand_over"), {"to": teammate.username,
                                                         "reason": "Not my buyer."})

    assert response.status_code == 302
    assert response["Location"] == change_url(case)
    assert messages_of(response) == ["FSM transition 'hand_over' is not allowed."]
    assert unchanged(case) == before


def test_an_agent_given_admin_access_cannot_act_on_a_teammates_case(client, shop, teammate):
    user = staff_agent(shop)
    case = walk(open_case(shop, by=teammate), teammate, "acknowledge")
    before = unchanged(case)
    client.force_login(user)

    assert client.get(change_url(case)).status_code == 302
    for url, body in forged_posts(case, "calm", {"note": "Sorry."}):
        assert client.post(url, body).status_code == 302
    assert unchanged(case) == before


def test_a_transition_not_possible_in_the_state_posted_by_hand_changes_nothing(
    client, shop, agent, supervisor
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    before = unchanged(case)
    client.force_login(supervisor)

    response = client.post(form_url(case, "reopen"), {"reason": "Forged."})

    assert response.status_code == 200
    assert "“Reopen” is not possible while the case is “Acknowledged”." in messages_of(response)
    assert unchanged(case) == before


@pytest.mark.parametrize("name", ["nonexistent", "delete", "save", "start_new_cycle", "refresh_from_db"])
def test_a_name_that_is_not_a_transition_posted_by_hand_is_not_found(
    client, shop, agent, supervisor, name
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    before = unchanged(case)
    client.force_login(supervisor)

    for url, body in forged_posts(case, name, {}):
        assert client.post(url, body).status_code == 404, url

    assert unchanged(case) == before


def test_the_state_cannot_be_set_through_the_admin_form(client, shop, agent, supervisor):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    before = unchanged(case)
    client.force_login(supervisor)

    client.post(change_url(case), {**INLINES, "state": "closed", "_save": "Save"})

    assert unchanged(case) == before


# --- what the admin never does ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["supervisor", "admin"])
def test_the_timeline_is_read_only_in_the_admin(request, client, shop, agent, persona):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    event = case.timeline.order_by("at", "id").first()
    client.force_login(request.getfixturevalue(persona))

    assert client.get("/admin/cases/timelineevent/").status_code == 200
    assert client.get(f"/admin/cases/timelineevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/cases/timelineevent/add/").status_code == 403
    assert client.post("/admin/cases/timelineevent/add/", {
        "case": case.pk, "type": "accept", "to_state": "resolved"}).status_code == 403
    assert client.post(f"/admin/cases/timelineevent/{event.pk}/change/", {
        "type": "forged"}).status_code == 403
    assert client.post(f"/admin/cases/timelineevent/{event.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert client.post("/admin/cases/timelineevent/", {
        "action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    ).status_code in (200, 302, 403)

    assert list(case.timeline.order_by("at", "id").values_list("type", flat=True)) == [
        "case_opened", "case_claimed", "acknowledge"]


def test_the_timeline_on_the_case_page_cannot_be_added_to_changed_or_deleted(
    client, shop, agent, supervisor
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    client.force_login(supervisor)

    response = client.get(change_url(case))

    inlines = {i.formset.prefix: i for i in response.context["inline_admin_formsets"]}
    timeline = inlines["timeline"]
    assert (timeline.has_add_permission, timeline.has_change_permission,
            timeline.has_delete_permission) == (False, False, False)
    assert len(timeline.formset.forms) == 3


@pytest.mark.parametrize("persona", ["supervisor", "admin"])
def test_cases_are_neither_added_nor_deleted_in_the_admin(request, client, shop, agent, persona):
    case = open_case(shop, by=agent)
    client.force_login(request.getfixturevalue(persona))

    assert client.get("/admin/cases/case/add/").status_code == 403
    assert client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_supervisor_lists_only_the_cases_of_their_shops(client, shop, other_shop, agent, outsider,
                                                          supervisor):
    mine = open_case(shop, by=agent)
    open_case(other_shop, by=outsider)
    client.force_login(supervisor)

    response = client.get("/admin/cases/case/")

    assert response.status_code == 200
    assert [c.pk for c in response.context["cl"].result_list] == [mine.pk]


def test_a_supervisor_sees_only_the_timeline_of_their_shops(client, shop, other_shop, agent,
                                                            outsider, supervisor):
    open_case(shop, by=agent)
    elsewhere = open_case(other_shop, by=outsider)
    client.force_login(supervisor)

    response = client.get("/admin/cases/timelineevent/")

    shown = {e.case_id for e in response.context["cl"].result_list}
    assert elsewhere.pk not in shown and len(shown) == 1
    foreign_event = elsewhere.timeline.get()
    assert client.get(f"/admin/cases/timelineevent/{foreign_event.pk}/change/").status_code == 302
