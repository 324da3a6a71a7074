"""Revealing a buyer's phone or address: the one explicit, logged way to see them unmasked."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from cases import events
from cases.models import Case, PiiField, PiiReveal
from cases.services.common import check_may
from config.service_errors import InvalidInput, NotFound


@sensitive_variables("value")
def reveal_pii(*, case_id: int, field: str, by: Any) -> str:
    """The buyer's unmasked `field` (phone or address) that this case carries, logged as revealed
    by `by`."""
    if field not in PiiField.values:
        raise InvalidInput({"field": [str(_("Choose phone or address."))]})
    with transaction.atomic():
        case = Case.objects.filter(pk=case_id).first()
        if case is None or by is None:
            raise NotFound(_("There is no case %(id)s.") % {"id": case_id})
        check_may(by, "cases.reveal_pii", case,
                  _("Only the case's agent and the shop's supervisors may see the buyer's %(field)s.")
                  % {"field": PiiField(field).label})
        if case.customer_id is None:
            raise NotFound(_("This case has no buyer on record."))
        # What this case carries, never the buyer's record: a case opened with a known buyer's
        # handle and no phone has no phone to show.
        value = getattr(case, f"buyer_{field}")
        if not value:
            raise NotFound(_("This case carries no %(field)s of the buyer; there is nothing to "
                             "reveal.") % {"field": PiiField(field).label})
        PiiReveal.objects.create(case=case, customer_id=case.customer_id, field=field, by=by)
        events.pii_revealed(case=case, by=by, field=field)
    return value
