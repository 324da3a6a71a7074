"""A hand-over refused from a row of the escalations table goes back to that table (its filters,
sort and page kept) with the reason in the row and what was typed still there, not to the case."""

from __future__ import annotations

from django.test import Client

from cases.models import Case, State
from tests.factories import open_case, walk

HERE = "/escalations/?kind=refund&sort=-amount&page=1"


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def escalated(shop, agent) -> Case:
    return walk(open_case(shop, by=agent), agent, "acknowledge", "escalate")


def the_row(page: str, case: Case) -> str:
    row = page[page.index(f'id="row-{case.pk}"'):]
    return row[:row.index("</tr>")]


def hand_over(client: Client, case: Case, to: str, reason: str, next: str = HERE):
    return client.post(f"/cases/{case.pk}/transitions/hand_over/", {
        "hand_over-to": to, "hand_over-reason": reason, "next": next})


def test_a_refused_hand_over_returns_to_the_table_with_the_reason_in_its_row(
    db, shop, agent, outsider, supervisor
):
    case = escalated(shop, agent)
    client = browser(supervisor)

    response = hand_over(client, case, "outsider", "Someone new, please.")

    assert response.status_code == 302
    assert response["Location"] == f"{HERE}#row-{case.pk}"
    row = the_row(client.get(HERE).content.decode(), case)
    assert f"Case #{case.pk} was not handed over: " in row
    assert 'class="error"' in row and 'role="alert"' in row
    assert 'value="Someone new, please."' in row  # what was typed is kept
    case.refresh_from_db()
    assert (case.state, case.assignee) == (State.ESCALATED, agent)


def test_the_reason_is_said_once(db, shop, agent, outsider, supervisor):
    case = escalated(shop, agent)
    client = browser(supervisor)
    hand_over(client, case, "outsider", "Someone new, please.")
    client.get(HERE)

    assert "was not handed over" not in client.get(HERE).content.decode()


def test_a_hand_over_without_a_reason_is_refused_in_the_row_too(db, shop, agent, teammate,
                                                               supervisor):
    case = escalated(shop, agent)
    client = browser(supervisor)

    response = hand_over(client, case, "agent2", "")

    assert response["Location"] == f"{HERE}#row-{case.pk}"
    row = the_row(client.get(HERE).content.decode(), case)
    assert "This field is required." in row
    assert '<option value="agent2" selected>' in row  # the agent chosen is kept
    assert Case.objects.get(pk=case.pk).assignee == agent


def test_in_chinese_the_row_says_why_in_chinese(db, shop, agent, teammate, supervisor):
    case = escalated(shop, agent)
    client = browser(supervisor)
    hand_over(client, case, "agent2", "")

    page = client.get(HERE, headers={"Accept-Language": "zh-hans"}).content.decode()

    assert f"案件 #{case.pk} 未能转交：" in the_row(page, case)


def test_when_the_case_left_the_table_meanwhile_the_reason_is_said_at_the_top(
    db, shop, agent, outsider, supervisor
):
    case = escalated(shop, agent)
    client = browser(supervisor)
    hand_over(client, case, "outsider", "Someone new, please.")
    Case.objects.filter(pk=case.pk).update(state=State.ACKNOWLEDGED)

    page = client.get(HERE).content.decode()

    assert f'<li class="error">Case #{case.pk} was not handed over: ' in page


def test_a_hand_over_from_the_case_page_is_still_refused_on_the_case_page(
    db, shop, agent, outsider, supervisor
):
    case = escalated(shop, agent)

    response = browser(supervisor).post(f"/cases/{case.pk}/transitions/hand_over/", {
        "hand_over-to": "outsider", "hand_over-reason": "Someone new, please."})

    assert response["Location"] == f"/cases/{case.pk}/"


def test_a_next_to_another_site_is_not_followed(db, shop, agent, outsider, supervisor):
    case = escalated(shop, agent)

    response = hand_over(browser(supervisor), case, "outsider", "Someone new, please.",
                         next="https://elsewhere.example/escalations/")

    assert response["Location"] == f"/cases/{case.pk}/"
