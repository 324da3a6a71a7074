"""Who may do what, endpoint by endpoint and page by page, in one table.

The scene: in the demo shop, an acknowledged case assigned to the agent (the assignee), an escalated
case of the agent's, and a notification for the agent. The teammate is another agent of the demo
shop; the outsider an agent of the other shop; the foreign supervisor supervises the other shop.

The rule: agents act on their own cases and the unassigned ones of their shops, and read (masked)
every case of their shops, a teammate's too (403 when they try to act on one); supervisors act on
every case of their shops; admins on all. Anyone outside the shop gets 404 for a case (so its
existence does not leak) and lists without it; a refused write changes nothing.

Each cell is a status with a mark: `+` the case (or notification) is in the list, `-` it is not;
`!` the write is done; no mark on a write: nothing changes. `auth`: the API asks for credentials
(401 when an authentication class sends a challenge, else 403, as DRF does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from cases.models import Case, Contact, PiiReveal, TimelineEvent
from notifications.models import Notification
from tests.factories import UserFactory, open_case, walk

ROLES = ["anonymous", "assignee", "teammate", "outsider", "supervisor", "foreign_supervisor",
         "admin"]

# The change form's inlines, empty: what the browser sends along with an admin button.
INLINES = {f"{prefix}-{key}": "0" for prefix in ("evidence", "contacts", "timeline")
           for key in ("TOTAL_FORMS", "INITIAL_FORMS")}


@dataclass(frozen=True)
class Scene:
    case: Case
    escalated: Case
    notification: Notification


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    url: Callable[[Scene], str]
    cells: str  # one per role, in ROLES order
    data: dict[str, Any] | None = None
    page: bool = False  # a page (session login) rather than the API
    listed: Callable[[Any, Scene], bool] | None = None  # is the object in the answer?
    multipart: bool = False  # an API upload (a form), not JSON


def in_results(response: Any, scene: Scene) -> bool:
    return scene.case.pk in {row["id"] for row in response.json()["results"]}


def notification_in_results(response: Any, scene: Scene) -> bool:
    return scene.notification.pk in {row["id"] for row in response.json()["results"]}


def linked(response: Any, scene: Scene) -> bool:
    return f'href="/cases/{scene.case.pk}/"' in response.content.decode()


def escalation_linked(response: Any, scene: Scene) -> bool:
    return f'/cases/{scene.escalated.pk}/' in response.content.decode()


def notification_shown(response: Any, scene: Scene) -> bool:
    return f"/notifications/{scene.notification.pk}/read/" in response.content.decode()


def counted_in_backlog(response: Any, scene: Scene) -> bool:
    buckets = ("under_1_day", "1_to_3_days", "3_to_7_days", "over_7_days")
    return sum(row.get(b) or 0 for row in response.json()["results"] for b in buckets) > 0


def case_url(suffix: str = "") -> Callable[[Scene], str]:
    return lambda s: f"/api/v1/cases/{s.case.pk}/{suffix}"


def admin_change(s: Scene) -> str:
    return f"/admin/cases/case/{s.case.pk}/change/"


def admin_transition(name: str) -> Callable[[Scene], str]:
    return lambda s: f"/admin/cases/case/{s.case.pk}/transition/{name}/"


ROWS = [
    # cells: anonymous assignee teammate outsider supervisor foreign_supervisor admin
    Row("api: case list", "get", lambda s: "/api/v1/cases/?page_size=200",
        "auth 200+ 200- 200- 200+ 200- 200+", listed=in_results),
    Row("api: case detail", "get", case_url(), "auth 200 200 404 200 404 200"),
    Row("api: calm transition", "post", case_url("transitions/calm/"),
        "auth 200! 403 404 200! 404 200!", data={"note": "Apologised."}),
    Row("api: hand over", "post", case_url("transitions/hand_over/"),
        "auth 403 403 404 200! 404 200!", data={"to": "agent3", "reason": "A fresh voice."}),
    # A teammate (or the shop's supervisor) claiming a case someone has is told who has it (409):
    # within the shop by design (cases/services/assignment.py); outside it, 404.
    Row("api: claim", "post", case_url("claim/"), "auth 200 409 404 409 404 409"),
    Row("api: pause the clock", "post", case_url("pause/"),
        "auth 200! 403 404 200! 404 200!", data={"reason": "Waiting for photos."}),
    Row("api: log a contact", "post", case_url("contacts/"),
        "auth 201! 403 404 201! 404 201!",
        data={"channel": "chat", "direction": "outbound", "body": "您好，我们在处理。"}),
    # A teammate reads the conversation of a case of their shop (as its page), and may not write.
    Row("api: the conversation", "get", case_url("messages/"), "auth 200 200 404 200 404 200"),
    Row("api: send a message", "post", case_url("messages/"),
        "auth 201! 403 404 201! 404 201!", data={"body": "您好，我们在处理。"}),
    Row("api: platform decision", "post", case_url("platform-decision/"),
        "auth 200! 403 404 200! 404 200!", data={"decision": "refund_granted"}),
    Row("api: reveal the buyer's phone", "post", case_url("reveal/"),
        "auth 200! 403 404 200! 404 200!", data={"field": "phone"}),
    Row("api: change the buyer's details", "post", case_url("buyer/"),
        "auth 200! 403 404 200! 404 200!", data={"phone": "13911112222"}),
    Row("api: attachments", "get", case_url("attachments/"), "auth 200 200 404 200 404 200"),
    Row("api: upload an attachment", "post", case_url("attachments/"),
        "auth 400 403 404 400 404 400", data={"note": "no file"}, multipart=True),
    # (no file: refused with the reason, but only after the permission check)
    Row("api: evidence pack", "get", case_url("evidence-pack/"), "auth 200 200 404 200 404 200"),
    # The similar resolved cases: whoever may read the case (only cases they may read in it).
    Row("api: similar cases", "get", case_url("similar/"), "auth 200 200 404 200 404 200"),
    Row("api: reports", "get", lambda s: "/api/v1/reports/backlog/",
        "auth 403 403 403 200+ 200- 200+", listed=counted_in_backlog),
    # Another shop's supervisor naming this shop is answered as naming a shop that does not exist.
    Row("api: reports naming the shop", "get", lambda s: "/api/v1/reports/backlog/?shop=demo",
        "auth 403 403 403 200+ 400 200+", listed=counted_in_backlog),
    Row("api: notifications", "get", lambda s: "/api/v1/notifications/",
        "auth 200+ 200- 200- 200- 200- 200-", listed=notification_in_results),
    Row("api: mark a notification read", "post",
        lambda s: f"/api/v1/notifications/{s.notification.pk}/read/",
        "auth 200! 404 404 404 404 404"),
    Row("page: queue", "get", lambda s: "/?tab=all", "302 200+ 200- 200- 200+ 200- 200+",
        page=True, listed=linked),
    Row("page: case", "get", lambda s: f"/cases/{s.case.pk}/", "302 200 200 404 200 404 200",
        page=True),
    Row("page: calm form", "post", lambda s: f"/cases/{s.case.pk}/transitions/calm/",
        "302 302! 302 404 302! 404 302!", data={"calm-note": "Apologised."}, page=True),
    Row("page: reveal the buyer's phone", "post", lambda s: f"/cases/{s.case.pk}/reveal/",
        "302 200! 403 404 200! 404 200!", data={"field": "phone"}, page=True),
    Row("page: change the buyer's details", "post", lambda s: f"/cases/{s.case.pk}/buyer-details/",
        "302 302! 302 404 302! 404 302!", data={"buyer-phone": "13911112222"}, page=True),
    Row("page: escalations", "get", lambda s: "/escalations/", "302 403 403 403 200+ 200- 200+",
        page=True, listed=escalation_linked),
    Row("page: team board", "get", lambda s: "/team/", "302 403 403 403 200+ 200- 200+",
        page=True, listed=lambda response, s: "agent1" in response.content.decode()),
    Row("page: reports", "get", lambda s: "/reports/", "302 403 403 403 200 200 200", page=True),
    # The scorecard: supervisors and admins read every agent of their shops, an agent their own row.
    Row("api: agent scorecard", "get", lambda s: "/api/v1/reports/agent-scorecard/",
        "auth 200+ 200- 200- 200+ 200- 200+",
        listed=lambda response, s: "agent1" in {r["agent"] for r in response.json()["results"]}),
    Row("api: review causes", "get", lambda s: "/api/v1/reports/review-causes/",
        "auth 403 403 403 200 200 200"),
    Row("page: agent scorecard", "get", lambda s: "/reports/agents/",
        "302 200+ 200- 200- 200+ 200- 200+", page=True,
        listed=lambda response, s: ">agent1<" in response.content.decode()),
    Row("page: the report as a workbook", "get", lambda s: "/reports/export.xlsx",
        "302 403 403 403 200 200 200", page=True),
    Row("page: notifications", "get", lambda s: "/notifications/",
        "302 200+ 200- 200- 200- 200- 200-", page=True, listed=notification_shown),
    # Not staff: the admin sends agents to its login; a supervisor of another shop to the index.
    Row("admin: case change page", "get", admin_change, "302 302 302 302 200 302 200", page=True),
    Row("admin: forged transition form", "post", admin_transition("calm"),
        "302 302 302 302 302! 302 302!", data={"note": "Forged."}, page=True),
    Row("admin: forged hand over", "post", admin_transition("hand_over"),
        "302 302 302 302 302! 302 302!", data={"to": "agent3", "reason": "Mine now."}, page=True),
    Row("admin: forged transition button", "post", admin_change,
        "302 302 302 302 302 302 302", data={**INLINES, "_fsm_transition_to": "calm"}, page=True),
]

# Known bugs: {(row name, role): reason}. None known at the time of writing.
BUGS: dict[tuple[str, str], str] = {}


def cells() -> list[Any]:
    params = []
    for row in ROWS:
        for role, cell in zip(ROLES, row.cells.split(), strict=True):
            marks = ([pytest.mark.xfail(strict=True, reason=BUGS[(row.name, role)])]
                     if (row.name, role) in BUGS else [])
            status, mark = (0, "") if cell == "auth" else (int(cell[:3]), cell[3:])
            params.append(pytest.param(row, role, status, mark, marks=marks,
                                       id=f"{row.name} | {role}"))
    return params


@pytest.fixture
def scene(shop, other_shop, agent, teammate, supervisor, outsider, admin) -> Scene:
    UserFactory(username="agent3", role="agent", shops=[shop])  # someone to hand cases to
    UserFactory(username="boss-elsewhere", role="supervisor", shops=[other_shop], is_staff=True)
    case = walk(open_case(shop, by=agent), agent, "acknowledge")
    escalated = walk(open_case(shop, by=agent), agent, "acknowledge", "escalate")
    notification = Notification.objects.create(recipient=agent, case=case, kind="handed_over",
                                               data={"case_id": case.pk})
    return Scene(case, escalated, notification)


def user_for(request: Any, role: str) -> Any:
    names = {"assignee": "agent"}
    if role == "anonymous":
        return None
    if role == "foreign_supervisor":
        from django.contrib.auth.models import User

        return User.objects.get(username="boss-elsewhere")
    return request.getfixturevalue(names.get(role, role))


def client_for(user: Any, *, page: bool) -> Any:
    client = Client() if page else APIClient()
    if user is not None:
        if page:
            client.force_login(user)
        else:
            client.force_authenticate(user)
    return client


def everything() -> tuple[Any, ...]:
    return (
        sorted(Case.objects.values_list("id", "state", "assignee_id", "updated_at",
                                        "clock_paused_at", "platform_decided_at", "calmed_at")),
        TimelineEvent.objects.count(),
        Contact.objects.count(),
        sorted(Notification.objects.values_list("id", "read_at")),
        PiiReveal.objects.count(),
    )


@pytest.mark.parametrize(("row", "role", "status", "mark"), cells())
def test_each_role_gets_what_the_rules_say_from_each_endpoint_and_page(
    request, scene, row, role, status, mark
):
    # given
    client = client_for(user_for(request, role), page=row.page)
    before = everything()

    # when
    call = getattr(client, row.method)
    if row.method == "get":
        response = call(row.url(scene))
    elif row.page or row.multipart:
        response = call(row.url(scene), row.data or {})
    else:
        response = call(row.url(scene), row.data or {}, format="json")

    # then
    if status == 0:
        assert response.status_code in (401, 403)
        assert response.json() == {"detail": "Authentication credentials were not provided."}
    else:
        assert response.status_code == status, response.content[:300]
    if row.listed is not None and response.status_code == 200:
        assert row.listed(response, scene) == (mark == "+")
    if row.method == "post":
        assert (everything() != before) == (mark == "!")
    if status == 404 and not row.page:
        assert "detail" in response.json()
    if status == 302 and role == "anonymous":
        assert "login" in response["Location"]
