"""Who may open which page: each persona answered as the rules say; a teammate cannot act on a case
that is not theirs."""

from __future__ import annotations

import pytest

from cases.models import Case
from tests.factories import open_case
from tests.pages.browsing import browser

PERSONAS = ["anonymous", "agent", "teammate", "supervisor", "outsider"]
EXPECTED = {
    # page: status for each persona, in PERSONAS order (302: to the login form)
    "/": [302, 200, 200, 200, 200],
    "/notifications/": [302, 200, 200, 200, 200],
    "/escalations/": [302, 403, 403, 200, 403],
    "/team/": [302, 403, 403, 200, 403],
    "/cases/{mine}/": [302, 200, 200, 200, 404],  # a teammate reads it (no actions)
    "/cases/{unassigned}/": [302, 200, 200, 200, 404],
}


@pytest.mark.parametrize("path", list(EXPECTED))
def test_each_page_answers_each_persona_as_the_rules_say(db, shop, agent, teammate, supervisor,
                                                       outsider, path):
    mine = open_case(shop, by=agent)
    Case.objects.filter(pk=mine.pk).update(assignee=agent)
    unassigned = open_case(shop, by=None)
    users = {"anonymous": None, "agent": agent, "teammate": teammate, "supervisor": supervisor,
             "outsider": outsider}
    url = path.format(mine=mine.pk, unassigned=unassigned.pk)

    got = [browser(users[p]).get(url).status_code for p in PERSONAS]

    assert got == EXPECTED[path]


@pytest.mark.parametrize(("action", "data"), [
    ("transitions/acknowledge/", {"acknowledge-message": "您好"}),
    ("contacts/", {"contact-channel": "chat", "contact-direction": "outbound",
                   "contact-body": "您好"}),
    ("claim/", {}),
    ("buyer-profile/", {"profile-temperament": "friendly"}),
])
def test_a_teammate_cannot_act_on_a_case_that_is_not_theirs(db, shop, agent, teammate, action,
                                                            data):
    case = open_case(shop, by=agent)
    Case.objects.filter(pk=case.pk).update(assignee=agent)
    events = case.timeline.count()

    response = browser(teammate).post(f"/cases/{case.pk}/{action}", data)

    assert response.status_code == 302  # to the case (told why) or, for a claim, to the queue
    assert case.timeline.count() == events
    assert Case.objects.get(pk=case.pk).assignee == agent
