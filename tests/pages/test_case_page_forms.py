"""The case page and its forms: what it shows this agent, the masked phone and its reveal, steps and
contacts run from their forms, errors beside the fields, a refusal explained, a conflict shown as
the current state, the timeline in the reader's language."""

from __future__ import annotations

from cases.models import Case, State
from tests.factories import open_case, walk
from tests.pages.browsing import browser


def test_the_case_page_shows_the_steps_deadlines_and_the_forms_this_agent_may_use(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm")

    page = browser(agent).get(f"/cases/{case.pk}/").content.decode()

    assert 'class="done"' in page  # calm is done
    assert f'action="/cases/{case.pk}/transitions/listen/"' in page
    assert f'action="/cases/{case.pk}/transitions/hand_over/"' not in page  # supervisors only
    assert "Resolution" in page or "resolution" in page


def test_the_phone_is_masked_and_only_the_assignee_and_supervisors_may_reveal_it(
    db, shop, agent, teammate, supervisor
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    reveal = f'action="/cases/{case.pk}/reveal/"'

    mine = browser(agent).get(f"/cases/{case.pk}/").content.decode()
    supervised = browser(supervisor).get(f"/cases/{case.pk}/").content.decode()
    shown = browser(agent).post(f"/cases/{case.pk}/reveal/", {"field": "phone"})

    assert "138****8000" in mine and "13800138000" not in mine and reveal in mine
    assert "13800138000" not in supervised and reveal in supervised
    assert "13800138000" in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    # a teammate may read the case, masked, and is refused the reveal
    refused = browser(teammate).post(f"/cases/{case.pk}/reveal/", {"field": "phone"})
    assert refused.status_code == 403
    assert "13800138000" not in refused.content.decode()


def test_an_outsider_gets_404_on_the_case_page_and_its_forms(db, shop, agent, outsider):
    case = open_case(shop, by=agent)
    client = browser(outsider)

    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.post(f"/cases/{case.pk}/transitions/acknowledge/",
                       {"acknowledge-message": "hi"}).status_code == 404
    assert Case.objects.get(pk=case.pk).state == State.NEW


def test_a_step_runs_from_its_form_and_lands_back_on_the_case(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    response = browser(agent).post(f"/cases/{case.pk}/transitions/calm/",
                                   {"calm-note": "Let the buyer vent, apologised."})

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.CALMED


def test_a_form_without_its_required_field_is_shown_again_with_the_error_beside_it(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/transitions/calm/", {"calm-note": ""})

    assert response.status_code == 302
    assert "This field is required." in client.get(response["Location"]).content.decode()
    assert Case.objects.get(pk=case.pk).state == State.ACKNOWLEDGED


def test_the_services_field_errors_are_shown_beside_the_fields(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge", "calm", "listen")

    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/transitions/propose/",
                           {"propose-remedy": "partial_refund", "propose-amount": "500"})

    assert response.status_code == 302
    assert "never exceed what was paid" in client.get(response["Location"]).content.decode()
    assert Case.objects.get(pk=case.pk).state == State.UNDERSTOOD


def test_two_agents_on_one_case_the_loser_sees_the_current_state_not_an_error_page(
    db, shop, agent, supervisor
):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    walk(case, supervisor, "calm")  # the supervisor got there first

    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/transitions/calm/", {"calm-note": "Apologised."})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "This case changed; here is its current state." in page
    assert f'action="/cases/{case.pk}/transitions/listen/"' in page


def test_a_refused_contact_is_explained(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    case.customer.do_not_contact = True
    case.customer.save()

    client = browser(agent)

    response = client.post(f"/cases/{case.pk}/contacts/", {
        "contact-channel": "call", "contact-direction": "outbound", "contact-outcome": "reached"})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "asked not to be contacted" in page
    assert "This case changed" not in page  # it did not
    assert "Remind me" not in page  # no time will do


def test_a_contact_is_logged_from_its_form(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    response = browser(agent).post(f"/cases/{case.pk}/contacts/", {
        "contact-channel": "call", "contact-direction": "outbound", "contact-outcome": "reached",
        "contact-body": "Talked it through."})

    assert response.status_code == 302
    assert case.contacts.count() == 1


def test_the_page_after_a_reveal_shows_the_reveal_on_the_timeline(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    page = browser(agent).post(f"/cases/{case.pk}/reveal/", {"field": "phone"}).content.decode()

    # the timeline names the event in words, never by its code
    assert "Buyer details revealed" in page
    assert "pii_revealed" not in page


def test_the_timeline_names_every_event_in_the_readers_language(db, shop, agent):
    case = walk(open_case(shop, by=agent), agent, "acknowledge")

    english = browser(agent).get(f"/cases/{case.pk}/").content.decode()
    chinese = browser(agent).get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    for code in ("case_opened", "case_claimed", "<strong>acknowledge</strong>"):
        assert code not in english and code not in chinese
    assert "Case opened" in english
    assert "案件已创建" in chinese
