"""Reads: which cases a user sees, the case with everything its page shows (pages and API alike),
and the queue's filters (the queue page and the API's case list alike)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Attachment,
    Case,
    Contact,
    Customer,
    EvidencePack,
    Order,
    PackState,
    State,
    TimelineEvent,
)
from cases.permissions import AGENT, SUPERVISOR, roles_of
from cases.workflows import as_workflow
from config.service_errors import InvalidInput, NotFound


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


def visible_parts(user: Any) -> dict[str, QuerySet[Case]]:
    """`visible_to(user)` in parts that do not overlap, each one plain condition with an index of
    its own: the user's own cases, nobody's, and someone else's (supervisors and admins only).
    Counting each part reads only index entries; counting the rule's OR reads every case's row."""
    cases = Case.objects.all()
    mine = visible_to(user, assigned_to_them=True)
    if user.is_active and user.is_superuser:
        nobody, others = cases.filter(assignee__isnull=True), cases.filter(assignee__isnull=False)
    else:
        groups, shop_ids = roles_of(user)
        in_shops = cases.filter(shop_id__in=shop_ids)
        nobody = (in_shops.filter(assignee__isnull=True) if groups & {AGENT, SUPERVISOR}
                  else cases.none())
        others = (in_shops.filter(assignee__isnull=False) if SUPERVISOR in groups
                  else cases.none())
    return {"mine": mine, "nobody": nobody, "others": others.exclude(assignee_id=user.pk)}


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
    """A case's contacts oldest first, with their author and the delivery state of the outgoing
    row that carries each sent message (`delivery_state`: the state alone, not the row), so showing
    them costs no further query."""
    return (Contact.objects.select_related("by")
            .annotate(delivery_state=F("sent_through__state"))
            .order_by("at", "id"))


def messages_of(user: Any, case_id: int) -> list[Contact]:
    """The conversation's messages and calls of a case, oldest first (two queries after the
    user's roles, however long the thread); NotFound when the user may not read the case (a
    teammate's case of their shop they may: as its page shows the conversation)."""
    if not readable_by(user).filter(pk=case_id).exists():
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
    due_before: datetime | None = None, breached: bool | None = None, search: str | None = None,
    open_only: bool = False, age: str = "", remedy: str = "", cause: str = "",
    within: Within | None = None, flagged: bool | None = None,
) -> QuerySet[Case]:
    """The queue's filters, for the queue page and the API's case list: each one given narrows.

    shop: a shop's code. assignee: a username, "me" or "none". due_before: the next deadline
    before this time; breached: the next deadline has passed (True) or not (False). search: what
    a person types to find a case (search_condition; None: no search). open_only: not closed.
    The reports' figures (the cases behind a figure): age, an AGE_BUCKETS name (opened that long
    ago); remedy, the chosen remedy; cause, a negative review's cause ("unknown": none found
    yet); within, one of the case's moments in a span of time.
    flagged: only the open cases whose buyer threatened (True), or the others (False).
    """
    if flagged is not None:
        cases = cases.filter(flagged=flagged)
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
    if search is not None:
        cases = cases.filter(search_condition(search))
    if age:
        cases = cases.filter(age_condition(age, timezone.now()))
    if remedy:
        cases = cases.filter(chosen_remedy=remedy)
    if cause:
        cases = cases.filter(review__isnull=False, review__cause="" if cause == UNKNOWN_CAUSE
                             else cause)
    if within is not None:
        cases = cases.filter(within.condition())
    return cases


# How long ago an open case was opened, in days: (name, at least, under); the backlog's columns.
AGE_BUCKETS = [("under_1_day", 0, 1), ("1_to_3_days", 1, 3), ("3_to_7_days", 3, 7),
               ("over_7_days", 7, None)]
UNKNOWN_CAUSE = "unknown"
# The moments a case is counted by in the reports (a span of time: since inclusive, until not).
MOMENTS = ("opened_at", "first_responded_at", "resolved_at", "closed_at")


@dataclass(frozen=True)
class Within:
    moment: str
    since: datetime | None
    until: datetime | None

    def condition(self) -> Q:
        if self.moment not in MOMENTS:
            raise ValueError(f"not a moment of a case: {self.moment}")
        rule = Q(**{f"{self.moment}__isnull": False})
        if self.since is not None:
            rule &= Q(**{f"{self.moment}__gte": self.since})
        if self.until is not None:
            rule &= Q(**{f"{self.moment}__lt": self.until})
        return rule


def age_condition(bucket: str, now: datetime) -> Q:
    """The cases opened between the bucket's bounds before now (the backlog's age columns)."""
    for name, low, high in AGE_BUCKETS:
        if name == bucket:
            rule = Q(opened_at__lte=now - timedelta(days=low))
            return rule & Q(opened_at__gt=now - timedelta(days=high)) if high is not None else rule
    raise ValueError(f"not an age bucket: {bucket}")


SEARCH_MAX_LENGTH = 100
CASE_NUMBER = re.compile(r"#?([0-9]{1,18})")
UNSEARCHABLE = re.compile(r"[\x00-\x1f\x7f]")


def search_condition(text: str) -> Q:
    """The cases a search finds: part of the buyer's handle or name (case.buyer_name, the name
    this case carries), the case number (`123` or `#123`), the start of an order number or of a
    marketplace id (so the whole of either too), letters in any case. `#123` is the case number
    only. Raises InvalidInput, with what to type, when the text is empty, longer than
    SEARCH_MAX_LENGTH characters or holds control characters.

    Each part is read through its own index and the parts are joined as one set of case ids
    (a UNION), so no part makes the database read every case: trigram indexes for the parts of
    handles and names, prefix indexes for order numbers and marketplace ids on PostgreSQL
    (migration 0018); SQLite reads them with LIKE, more slowly.
    """
    text = text.strip()
    if not text or text == "#":
        raise InvalidInput({"search": [_("Type part of a buyer's handle or name, a case number, "
                                         "an order number or a marketplace id.")]},
                           _("There is nothing to search for."))
    if len(text) > SEARCH_MAX_LENGTH:
        raise InvalidInput({"search": [_("Search for at most %(limit)s characters.")
                                       % {"limit": SEARCH_MAX_LENGTH}]},
                           _("The search is too long."))
    if UNSEARCHABLE.search(text):
        raise InvalidInput({"search": [_("Type letters, digits or signs only.")]},
                           _("The search holds characters that cannot be searched."))
    number = CASE_NUMBER.fullmatch(text)
    if text.startswith("#"):
        return Q(pk=int(number.group(1))) if number else Q(pk__in=[])
    cases = Case.objects.order_by()  # no ORDER BY inside a UNION
    ids = cases.filter(
        customer_id__in=_part_of(Customer.objects.all(), "handle", text).values("pk")
    ).values("pk").union(
        _part_of(cases, "buyer_name", text).values("pk"),
        cases.filter(order_id__in=Order.objects.filter(number__istartswith=text).values("pk")
                     ).values("pk"),
        cases.filter(external_id__istartswith=text).values("pk"),
    )
    found = Q(pk__in=ids)
    return found | Q(pk=int(number.group(1))) if number else found


# Searches this short have no trigram to look up: on PostgreSQL they read the index of each
# value's one- and two-character pieces instead (search_grams, migration 0025).
SHORT_SEARCH = 2


class SearchGrams(Func):
    """search_grams(column): the one- and two-character pieces of the value in capitals, as the
    GIN indexes customer_handle_grams and case_buyer_name_grams hold them (PostgreSQL only)."""

    function = "search_grams"
    output_field = ArrayField(TextField())


def _part_of(rows: QuerySet, column: str, text: str) -> QuerySet:
    """The rows whose `column` holds `text`, in any case of letters: through the trigram index, or
    for one or two characters on PostgreSQL through the pieces' index (the same rows as
    icontains finds; a trigram index cannot narrow a search shorter than three characters)."""
    if len(text) <= SHORT_SEARCH and connection.vendor == "postgresql":
        return rows.alias(grams=SearchGrams(column)).filter(grams__contains=[Upper(Value(text))])
    return rows.filter(**{f"{column}__icontains": text})


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


def escalated_cases(user: Any) -> QuerySet[Case]:
    """The escalated cases this user works (a supervisor: every case of their shops), each with its
    last escalation: `escalation_reason` as written, `escalated_by_id` (None: the system escalated
    it, a deadline passed or the marketplace said so) and `escalated_by_name`.

    Read through the partial index case_escalated (only escalated cases are in it); the last
    escalation of each listed case through timeline_case_at.
    """
    last = TimelineEvent.objects.filter(case=OuterRef("pk"), type="escalate").order_by("-at", "-id")
    return visible_to(user).filter(state=State.ESCALATED).annotate(
        escalation_reason=Subquery(last.values("data__reason")[:1]),
        escalated_by_id=Subquery(last.values("actor_id")[:1]),
        escalated_by_name=Subquery(last.values("actor__username")[:1]),
    )


def awaiting_approval(user: Any) -> QuerySet[Case]:
    """The refunds awaiting approval this user works (a supervisor: every case of their shops),
    the most urgent first, each with its request: `asked_at`, `asked_by_name` and `asked_event_id`
    (the proposal's event, which keeps the reasons; cases/approval.py).

    Read through the partial index case_awaiting_approval; each request through timeline_case_at.
    """
    last = TimelineEvent.objects.filter(
        case=OuterRef("pk"), to_state=State.AWAITING_APPROVAL).order_by("-at", "-id")
    return visible_to(user).filter(state=State.AWAITING_APPROVAL).annotate(
        asked_at=Subquery(last.values("at")[:1]),
        asked_by_name=Subquery(last.values("actor__username")[:1]),
        asked_event_id=Subquery(last.values("id")[:1]),
    ).order_by(F("next_due_at").asc(nulls_last=True), "id")
