"""The case's clocks: waiting for the buyer pauses the shop's clock; a platform decision opens the
appeal window. Each change is on the timeline; the reminders follow."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import deadlines, events, reminders
from cases.inputs import PauseClockInput, PlatformDecisionInput
from cases.models import Case
from cases.services.common import check_may, lock_case, validate
from config.service_errors import Conflict


def _open_case(case: Case) -> None:
    if not case.is_open:
        raise Conflict(_("The case is closed; its clocks have stopped."), state=case.state)


def pause_clock(*, case_id: int, by: Any, data: Mapping[str, Any] | None) -> Case:
    """The shop waits for the buyer (evidence, a reply): its deadlines stop until the buyer answers.

    The marketplace's clock does not stop.
    """
    with transaction.atomic():
        case = lock_case(case_id)
        check_may(by, "cases.work_case", case, _("You may not work on this case."))
        _open_case(case)
        if case.clock_paused_at is not None:
            raise Conflict(_("The clock is paused already, since %(at)s.")
                           % {"at": f"{case.clock_paused_at:%Y-%m-%d %H:%M}"}, state=case.state)
        values = validate(PauseClockInput, data, case=case)
        deadlines.pause(case, timezone.now())
        case.save()
        events.clock_paused(case=case, by=by, reason=values["reason"])
        reminders.sync_case_reminders(case)
    return case


def resume_clock(*, case_id: int, by: Any, why: str = "resumed") -> Case:
    """End the pause; the shop's deadlines move by its length (the interval is on the timeline)."""
    with transaction.atomic():
        case = lock_case(case_id)
        check_may(by, "cases.work_case", case, _("You may not work on this case."))
        if case.clock_paused_at is None:
            raise Conflict(_("The clock is not paused."), state=case.state)
        resume_locked(case, by=by, why=why)
    return case


def resume_locked(case: Case, *, by: Any, why: str) -> None:
    """Resume a paused clock of a case already locked by the caller (e.g. the buyer wrote)."""
    paused_at, now = case.clock_paused_at, timezone.now()
    deadlines.resume(case, now)
    case.save()
    events.clock_resumed(case=case, by=by, paused_at=paused_at, resumed_at=now, why=why)
    reminders.sync_case_reminders(case)


def record_platform_decision(*, case_id: int, by: Any, data: Mapping[str, Any] | None) -> Case:
    """The marketplace decided the dispute: record it and open the appeal window."""
    with transaction.atomic():
        case = lock_case(case_id)
        check_may(by, "cases.work_case", case, _("You may not work on this case."))
        values = validate(PlatformDecisionInput, data, case=case)
        case.platform_decided_at = values.get("decided_at") or timezone.now()
        clock = deadlines.clock_for(case.shop, case.kind)
        case.appeal_due_at = clock.appeal_due(case.platform_decided_at)
        deadlines.refresh(case)
        case.save()
        events.platform_decided(case=case, by=by, decision=values["decision"], note=values["note"])
        reminders.sync_case_reminders(case, clock=clock)
    return case
