"""Opening a case, idempotent per (shop, marketplace id): one at a time (the API, the marketplace's
webhook, the demo) or in bulk (the review import), with the same event, outgoing row and reminders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from cases import deadlines, events, outgoing, reminders
from cases.inputs import OpenCaseInput
from cases.models import Case, Customer, Order, Shop
from cases.services import threats
from cases.services.common import validate
from cases.services.vectors import represent_after_commit
from cases.threats import rules_for
from cases.workflows import as_workflow, workflow_for
from config.service_errors import Conflict, InvalidInput, NotAllowed

# What the marketplace may tell about an order besides its number and amount (optional).
ORDER_DETAILS = ("placed_at", "items", "carrier", "tracking_number")


@sensitive_variables("data", "values")
def open_case(*, by: Any, data: Mapping[str, Any]) -> tuple[Case, bool]:
    """Open a case from the marketplace's data; returns (case, created).

    The same (shop, external_id) again returns the case already open, unchanged.
    """
    values = validate(OpenCaseInput, data)
    workflow = workflow_for(values["kind"])
    if workflow.open_input is not None:
        values["extra"] = validate(workflow.open_input, data)
        values["external_id"] = workflow.external_id(values["extra"]) if workflow.external_id else ""
    shop = values["shop"]
    _check_may_open(by, shop)
    if values["assignee"] is not None and by is not None and not by.has_perm(
        "cases.assign_in_shop", shop
    ):
        raise NotAllowed(_("Only a supervisor names the assignee of a new case."))

    external_id = values.get("external_id", "")
    if external_id:
        existing = Case.objects.filter(shop=shop, external_id=external_id).first()
        if existing is not None:
            return _already_open(existing, by), False
    try:
        with transaction.atomic():
            case = _create(by=by, values=values)
    except IntegrityError:
        # Another request opened the same marketplace case at the same moment.
        existing = Case.objects.filter(shop=shop, external_id=external_id).first()
        if existing is None:
            raise
        return _already_open(existing, by), False
    return case, True


def _check_may_open(by: Any, shop: Shop) -> None:
    if by is not None and not by.has_perm("cases.open_case_in_shop", shop):
        raise NotAllowed(_("You are not on the staff of shop %(shop)s.") % {"shop": shop.code})


def _already_open(case: Case, by: Any) -> Case:
    # A teammate may read the case, but it is another agent's to work: said so (409).
    if by is not None and not by.has_perm("cases.work_case", case):
        raise Conflict(
            _("Marketplace case %(external_id)s is already open as case %(id)s, with another agent.")
            % {"external_id": case.external_id, "id": case.pk},
            state=case.state,
        )
    return as_workflow(case)


BUYER_DETAILS = ("name", "phone", "address")


def _create(*, by: Any, values: dict[str, Any]) -> Case:
    shop = values["shop"]
    customer = None
    details = {k: "" for k in BUYER_DETAILS}
    if values.get("customer"):
        c = values["customer"]
        details = {k: c.get(k, "") for k in BUYER_DETAILS}
        # A new buyer is put on record with these details; a known one's record stays as it is
        # (the case keeps what arrived with it; the record changes only by an explicit update).
        customer, _created = Customer.objects.get_or_create(
            shop=shop, handle=c["handle"], defaults=details)
    order = None
    if values.get("order"):
        o = values["order"]
        order, created = Order.objects.get_or_create(
            shop=shop, number=o["number"],
            defaults={"paid_amount": o["paid_amount"], "currency": o["currency"],
                      "customer": customer,
                      **{k: o[k] for k in ORDER_DETAILS if k in o}},
        )
        if not created and (order.paid_amount, order.currency) != (o["paid_amount"], o["currency"]):
            raise InvalidInput({"order": [str(
                _("Order %(number)s is on record with %(paid)s %(currency)s paid; send the same.")
                % {"number": order.number, "paid": order.paid_amount, "currency": order.currency}
            )]})
    now = timezone.now()
    workflow = workflow_for(values["kind"])
    clock = deadlines.clock_for(shop, values["kind"])
    case = _new_case(
        shop=shop, kind=values["kind"], now=now, clock=clock,
        marketplace_from=workflow.marketplace_from(values["extra"]) if workflow.marketplace_from
        else None,
        external_id=values.get("external_id", ""), description=values.get("description", ""),
        order=order, customer=customer, **{f"buyer_{k}": v for k, v in details.items()},
        claimed_amount=values.get("claimed_amount"), assignee=values["assignee"],
    )
    case.save()
    if workflow.on_open is not None:
        workflow.on_open(case, by, values["extra"])
    event = events.case_opened(case=case, by=by)
    review = (values.get("extra") or {}).get("review") or {}
    threats.flag_threats(case, texts=dict.fromkeys([case.description, review.get("text", "")]),
                         source=threats.source_of_opening(case))
    outgoing.record_case_change(case, event)
    reminders.sync_case_reminders(case, clock=clock, now=now)
    represent_after_commit([case.pk])
    return case


def _new_case(*, shop: Shop, kind: str, now: datetime, clock: deadlines.Clock,
              marketplace_from: datetime | None, **fields: Any) -> Case:
    """The case row as every opening builds it, its clocks started (not saved yet)."""
    case = workflow_for(kind).model(shop=shop, kind=kind, opened_at=now, **fields)
    clock.start(case, now, marketplace_from=marketplace_from)
    return case


@dataclass(frozen=True)
class Opening:
    """One case to open in bulk: the marketplace id it is known by, and what the queue shows."""

    external_id: str
    description: str = ""
    marketplace_from: datetime | None = None  # the marketplace's clock runs from here


@dataclass
class BulkOpened:
    opened: list[Case] = field(default_factory=list)
    case_ids: dict[str, int] = field(default_factory=dict)  # every external id → its case


def open_cases(*, by: Any, shop: Shop, kind: str, openings: Sequence[Opening]) -> BulkOpened:
    """The bulk form of `open_case`, for an import: cases of one kind without order or buyer.

    Idempotent like `open_case`: an external id the shop already has a case for is not opened
    again (its case is in `case_ids`). Each new case gets the same `case_opened` event, outgoing
    webhook row and reminders as one opened through the API, and its description the same threat
    check (flags, event, the supervisors told), in a few INSERTs for all of them.
    Runs inside the caller's transaction (one batch all-or-nothing).
    """
    _check_may_open(by, shop)
    wanted = {opening.external_id: opening for opening in openings}
    there = dict(Case.objects.filter(shop=shop, external_id__in=list(wanted))
                 .values_list("external_id", "pk"))
    now = timezone.now()
    clock = deadlines.clock_for(shop, kind)
    cases = [
        _new_case(shop=shop, kind=kind, now=now, clock=clock,
                  marketplace_from=opening.marketplace_from, external_id=opening.external_id,
                  description=opening.description)
        for external_id, opening in wanted.items() if external_id not in there
    ]
    if not cases:
        return BulkOpened(case_ids=there)
    threats.flag_new_cases(cases, rules=rules_for(shop))
    with transaction.atomic():
        Case.objects.bulk_create(cases)
        opened = events.cases_opened(cases=cases, by=by)
        threats.announce_new_flags(cases)
        outgoing.record_case_changes(list(zip(cases, opened, strict=True)))
        reminders.schedule_for_new_cases(cases, clock)
        represent_after_commit([case.pk for case in cases])
    return BulkOpened(opened=cases, case_ids=there | {case.external_id: case.pk for case in cases})
