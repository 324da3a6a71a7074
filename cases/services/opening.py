"""Opening a case, idempotent per (shop, marketplace id)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from cases import deadlines, events, outgoing
from cases.inputs import OpenCaseInput
from cases.models import Case, Customer, Order
from cases.services.common import validate
from cases.workflows import as_workflow, workflow_for
from config.service_errors import Conflict, InvalidInput, NotAllowed
from notifications import scheduling


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
    if by is not None and not by.has_perm("cases.open_case_in_shop", shop):
        raise NotAllowed(_("You are not on the staff of shop %(shop)s.") % {"shop": shop.code})
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


def _already_open(case: Case, by: Any) -> Case:
    if by is not None and not by.has_perm("cases.see_case", case):
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
                      "customer": customer},
        )
        if not created and (order.paid_amount, order.currency) != (o["paid_amount"], o["currency"]):
            raise InvalidInput({"order": [str(
                _("Order %(number)s is on record with %(paid)s %(currency)s paid; send the same.")
                % {"number": order.number, "paid": order.paid_amount, "currency": order.currency}
            )]})
    now = timezone.now()
    case = workflow_for(values["kind"]).model(
        shop=shop, kind=values["kind"], external_id=values.get("external_id", ""),
        description=values.get("description", ""), order=order, customer=customer,
        **{f"buyer_{k}": v for k, v in details.items()},
        claimed_amount=values.get("claimed_amount"), assignee=values["assignee"], opened_at=now,
    )
    clock = deadlines.clock_for(shop, case.kind)
    workflow = workflow_for(values["kind"])
    clock.start(case, now, marketplace_from=workflow.marketplace_from(values["extra"])
                if workflow.marketplace_from else None)
    case.save()
    if workflow.on_open is not None:
        workflow.on_open(case, by, values["extra"])
    event = events.case_opened(case=case, by=by)
    outgoing.record_case_change(case, event)
    scheduling.sync_case_reminders(case, clock=clock, now=now)
    return case
