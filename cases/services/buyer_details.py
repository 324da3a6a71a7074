"""Changing a buyer's contact details: explicit, by someone who may work one of the buyer's cases
or by the shop's integration, and logged on the timeline of each of the buyer's open cases.

Opening a case never changes them (the case keeps the details that arrived with it). An update
changes the buyer's record and the details that each open case of the buyer carries; closed cases
keep theirs, as they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from cases import events
from cases.inputs import BuyerDetailsInput
from cases.models import OPEN_STATES, Case, Customer
from cases.services.common import check_may, validate
from config.service_errors import Conflict, NotFound


@sensitive_variables("data", "values")
def update_buyer_details(*, case_id: int, by: Any, data: Mapping[str, Any],
                         integration: str = "") -> Customer:
    """Change the name, phone or address of the buyer of this case; `integration` names the API
    token or webhook when the shop's system, not a person, sends the change."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("There is no case %(id)s.") % {"id": case_id})
    check_may(by, "cases.work_case", case, _("You may not work on this case."))
    if case.customer_id is None:
        raise Conflict(_("This case has no buyer on record."), state=case.state)
    values = validate(BuyerDetailsInput, data, case=case)
    with transaction.atomic():
        # The buyer's open cases first, in id order, then the buyer: the order every service
        # locks a case and its buyer in, so two updates (or a contact logged) never deadlock.
        open_cases = list(Case.objects.select_for_update().filter(
            customer_id=case.customer_id, state__in=OPEN_STATES).order_by("pk")
            .values_list("pk", "state"))
        if case.pk not in {pk for pk, _state in open_cases}:
            raise Conflict(_("A closed case keeps the buyer's details it had; change them from an "
                             "open case of this buyer."), state=case.state)
        customer = Customer.objects.select_for_update().get(pk=case.customer_id)
        for field, value in values.items():
            setattr(customer, field, value)
        customer.save(update_fields=list(values))
        Case.objects.filter(pk__in=[pk for pk, _state in open_cases]).update(
            updated_at=timezone.now(), **{f"buyer_{field}": value for field, value in values.items()})
        events.buyer_details_changed(cases=open_cases, by=by, fields=sorted(values),
                                     from_case=case.pk, integration=integration)
    return customer
