"""The case's timeline: append-only. Events are built by the constructors in cases/events.py."""

from typing import Any

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Timeline events are never changed or deleted."""


class TimelineQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Timeline events are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Timeline events are never deleted.")


class TimelineEvent(models.Model):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="timeline", verbose_name=_("case")
    )
    type = models.CharField(_("event"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_state = models.CharField(_("from"), max_length=32, blank=True, default="")
    to_state = models.CharField(_("to"), max_length=32, blank=True, default="")
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = TimelineQuerySet.as_manager()

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at", "id"], name="timeline_case_at"),
            # The reports' outcomes: the few cases escalated, handed over or reopened (WHERE type
            # IN (…) joined to the cases in range), without reading every case's timeline.
            models.Index(fields=["type", "case"], name="timeline_turns",
                         condition=models.Q(type__in=["escalate", "hand_over", "reopen"])),
            # The reopen rate (reports, scorecard): EXISTS (… WHERE case_id = … AND type =
            # 'reopen'), a probe into a small index instead of reading every event of the case.
            models.Index(fields=["case"], name="timeline_reopens",
                         condition=models.Q(type="reopen")),
            # The refund approvals of the reports (cases/reports/approvals.py): the few requests
            # and answers since a day, instead of reading the whole timeline (0.5 s at 6,600,000
            # events). The condition is written as that query writes it, so PostgreSQL sees that
            # the query's rows are all in the index.
            models.Index(fields=["at"], name="timeline_approvals",
                         condition=(models.Q(to_state="awaiting_approval",
                                             type__in=["propose", "remedy"])
                                    | models.Q(type__in=["approve_remedy", "decline_remedy"]))),
            # Time in state (cases/reports/states.py) reads each case's state changes through a
            # covering partial index (case, at, id) INCLUDE (to_state), made on PostgreSQL by
            # migration 0035.
        ]
        # On PostgreSQL the database itself refuses to change or delete an event, whatever the
        # client (raw SQL, another app, a migration); SQLite relies on the model and queryset.
        triggers = [
            pgtrigger.Protect(name="timeline_append_only",
                              operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Timeline events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Timeline events are never deleted.")
