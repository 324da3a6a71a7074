"""Reads: which cases a user sees, and the case with everything its page shows."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Attachment, Case, Contact, EvidencePack, PackState, TimelineEvent
from cases.permissions import AGENT, SUPERVISOR, roles_of
from config.service_errors import NotFound


def visible_to(user: Any, *, assigned_to_them: bool = False) -> QuerySet[Case]:
    """Every list is filtered by this: the same rule as the `cases.see_case` permission.

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
    # `review`: the review a negative-review case is about (none for disputes), in the same query.
    return case_list(user).select_related("review").prefetch_related(
        Prefetch("timeline", TimelineEvent.objects.select_related("actor").order_by("at", "id")),
        Prefetch("contacts", Contact.objects.select_related("by").order_by("at", "id")),
        "evidence",
    )


def attachments_of(case_id: int) -> QuerySet[Attachment]:
    """A case's files in upload order (the caller has checked the case may be seen)."""
    return Attachment.objects.filter(case_id=case_id).select_related("uploaded_by")


def latest_evidence_pack(case_id: int, user: Any) -> EvidencePack | None:
    """The evidence pack a worker built, or is building, for this user and case (the newest)."""
    return EvidencePack.objects.filter(case_id=case_id, requested_by=user).exclude(
        state=PackState.FAILED).first()


def visible_attachments(user: Any, case_id: int) -> QuerySet[Attachment]:
    """A case's files in upload order; NotFound when the user may not see the case."""
    if not visible_to(user).filter(pk=case_id).exists():
        raise NotFound(_("There is no case %(id)s.") % {"id": case_id})
    return attachments_of(case_id)
