from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cases import events
from cases.models import Case
from cases.services.common import check_may, lock_case
from config.service_errors import Conflict, NotFound


def claim_case(*, case_id: int, by: Any) -> Case:
    """An agent takes an unassigned case of their shop."""
    with transaction.atomic():
        case = lock_case(case_id)
        if case.assignee_id is not None:
            if case.assignee_id == by.pk:
                return case
            if not by.has_perm("cases.open_case_in_shop", case.shop):
                # Someone outside the shop learns nothing about its cases (not even who has one).
                raise NotFound(_("There is no case %(id)s.") % {"id": case.pk})
            raise Conflict(
                _("%(username)s already has this case.") % {"username": case.assignee.get_username()},
                state=case.state, assignee=case.assignee.get_username(),
            )
        check_may(by, "cases.claim_case", case, _("Only the shop's agents may claim its cases."))
        case.assignee = by
        case.save(update_fields=["assignee", "updated_at"])
        events.case_claimed(case=case, by=by)
    return case
