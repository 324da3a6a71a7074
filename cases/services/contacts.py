from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cases import events
from cases.inputs import ContactInput
from cases.models import Contact, Customer, Outcome
from cases.services.common import check_may, lock_case, validate


def log_contact(*, case_id: int, by: Any, data: Mapping[str, Any]) -> Contact:
    """Record a call or message with the buyer; a buyer who asks not to be contacted is marked."""
    with transaction.atomic():
        case = lock_case(case_id)
        check_may(by, "cases.work_case", case, _("You may not work on this case."))
        values = validate(ContactInput, data, case=case)
        contact = Contact.objects.create(case=case, customer_id=case.customer_id, by=by, **values)
        if values.get("outcome") == Outcome.DO_NOT_CONTACT and case.customer_id:
            Customer.objects.filter(pk=case.customer_id).update(do_not_contact=True)
        case.save(update_fields=["updated_at"])
        events.contact_logged(case=case, by=by, contact=contact)
    return contact
