from cases.models import State
from tests.factories import TO_RESOLVED, open_case, reach_buyer, step, walk


def test_an_agent_works_a_refund_case_from_first_reply_to_closure(shop, agent):
    case = open_case(shop, by=agent)

    case = walk(case, agent, *TO_RESOLVED)
    reach_buyer(case, agent)
    case = step(case, "close", agent)

    assert case.state == State.CLOSED
    assert [e.type for e in case.timeline.all()] == [
        "case_opened", "case_claimed", "acknowledge", "calm", "listen", "propose", "accept",
        "contact_logged", "close", "survey_prepared",
    ]
