"""Reads: which cases a user sees, the case with everything its page shows (pages and API alike),
and the queue's filters (the queue page and the API's case list alike)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Attachment, Case, Contact, EvidencePack, PackState, State, TimelineEvent
from cases.permissions import AGENT, SUPERVISOR, roles_of
from cases.workflows import as_workflow
from config.service_errors import NotFound


def readable_by(user: Any) -> QuerySet[Case]:
    """The cases this user may open and read: the same rule as the `cases.see_case` permission
    (every case of the shops they are an agent or supervisor of; all for admins)."""
    cases = Case.objects.all()
    if user.is_active and user.is_superuser:
        return cases
    groups, shop_ids = roles_of(user)
    return cases.filter(shop_id__in=shop_ids) if groups & {AGENT, SUPERVISOR} else cases.none()


def visible_to(user: Any, *, assigned_to_them: bool = False) -> QuerySet[Case]:
    """Every list is filtered by this: the same rule as the `cases.work_case` permission (the
    cases a user works; a teammate's case can be opened, see `readable_by`, but is not listed).

    assigned_to_them: only the cases assigned to this user ("my queue"), written as one plain
    condition (assignee and shop) rather than the rule's OR, so the database can walk the index
    of an assignee's open cases by deadline.
    """
    cases = Case.objects.all()
    if assigned_to_them:
        cases = cases.filter(assignee_id=user.pk)
    if user.is_active and user.is_superuser:
        return cases
    groups, shop_ids = roles_of(user)
    if assigned_to_them:
        return cases.filter(shop_id__in=shop_ids) if groups & {AGENT, SUPERVISOR} else cases.none()
    rule = Q(pk__in=[])
    if SUPERVISOR in groups:
        rule |= Q(shop_id__in=shop_ids)
    if AGENT in groups:
        rule |= Q(assignee_id=user.pk, shop_id__in=shop_ids) | Q(
            assignee__isnull=True, shop_id__in=shop_ids
        )
    return cases.filter(rule)


def case_list(user: Any, *, assigned_to_them: bool = False) -> QuerySet[Case]:
    return visible_to(user, assigned_to_them=assigned_to_them).select_related(
        "shop", "assignee", "order", "customer")


def case_detail(user: Any) -> QuerySet[Case]:
    """The cases this user may read, with everything a case's page shows.

    `review`: the review a negative-review case is about (none for disputes), in the same query.
    """
    return readable_by(user).select_related(
        "shop", "assignee", "order", "customer", "review").prefetch_related(
        Prefetch("timeline", TimelineEvent.objects.select_related("actor").order_by("at", "id")),
        Prefetch("contacts", contacts_in_order()),
        "evidence",
    )


def contacts_in_order() -> QuerySet[Contact]:
    """A case's contacts oldest first, with their author and the outgoing row that carries each
    sent message (its delivery state; not its payload), so showing them costs no further query."""
    return (Contact.objects.select_related("by", "sent_through")
            .defer("sent_through__payload", "sent_through__last_error")
            .order_by("at", "id"))


def messages_of(user: Any, case_id: int) -> list[Contact]:
    """The conversation's messages and calls of a case, oldest first (two queries after the
    user's roles, however long the thread); NotFound when the user may not see the case."""
    if not visible_to(user).filter(pk=case_id).exists():
        raise NotFound(_("There is no case %(id)s.") % {"id": case_id})
    return list(contacts_in_order().filter(case_id=case_id))


def get_case_for_user(user: Any, pk: int) -> Case:
    """The case with everything its page (or API answer) shows, as its workflow's model; NotFound
    when there is no such case or this user may not see it (the two are not told apart)."""
    try:
        case = case_detail(user).get(pk=pk)
    except Case.DoesNotExist:
        raise NotFound(_("There is no case %(id)s.") % {"id": pk}) from None
    return as_workflow(case)


def filter_queue(
    cases: QuerySet[Case], user: Any, *, kinds: Collection[str] = (),
    states: Collection[str] = (), shop: str = "", assignee: str = "",
    due_before: datetime | None = None, breached: bool | None = None, search: str = "",
    open_only: bool = False,
) -> QuerySet[Case]:
    """The queue's filters, for the queue page and the API's case list: each one given narrows.

    shop: a shop's code. assignee: a username, "me" or "none". due_before: the next deadline
    before this time; breached: the next deadline has passed (True) or not (False). search: an
    order number, a buyer's handle or a marketplace id, exactly. open_only: not closed.
    """
    if open_only:
        cases = cases.exclude(state=State.CLOSED)
    if kinds:
        cases = cases.filter(kind__in=kinds)
    if states:
        cases = cases.filter(state__in=states)
    if shop:
        cases = cases.filter(shop__code=shop)
    if assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    elif assignee == "me":
        cases = cases.filter(assignee=user)
    elif assignee:
        cases = cases.filter(assignee__username=assignee)
    if due_before is not None:
        cases = cases.filter(next_due_at__lt=due_before)
    if breached is not None:
        now = timezone.now()
        cases = (cases.filter(next_due_at__lte=now) if breached
                 else cases.exclude(next_due_at__lte=now))
    if search.strip():
        q = search.strip()
        cases = cases.filter(Q(order__number=q) | Q(customer__handle=q) | Q(external_id=q))
    return cases


def attachments_of(case_id: int) -> QuerySet[Attachment]:
    """A case's files in upload order (the caller has checked the case may be seen)."""
    return Attachment.objects.filter(case_id=case_id).select_related("uploaded_by")


def latest_evidence_pack(case_id: int, user: Any) -> EvidencePack | None:
    """The evidence pack a worker built, or is building, for this user and case (the newest)."""
    return EvidencePack.objects.filter(case_id=case_id, requested_by=user).exclude(
        state=PackState.FAILED).first()


def visible_attachments(user: Any, case_id: int) -> QuerySet[Attachment]:
    """A case's files in upload order; NotFound when the user may not read the case."""
    if not readable_by(user).filter(pk=case_id).exists():
        raise NotFound(_("There is no case %(id)s.") % {"id": case_id})
    return attachments_of(case_id)
