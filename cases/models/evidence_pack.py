"""An evidence pack too large to send within a request, built by a worker for the one who asked."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def evidence_pack_path(instance: EvidencePack, filename: str) -> str:
    # A random name: the pack holds the case's files, and is served only after a permission check.
    return f"evidence-packs/{instance.case_id}/{secrets.token_hex(16)}.zip"


class PackState(models.TextChoices):
    BUILDING = "building", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class EvidencePack(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evidence_packs",
                             verbose_name=_("case"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    # Claimed by the worker building it (a conditional UPDATE): one build at a time, and a worker
    # that died is taken over once the claim is stale.
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=PackState.choices,
                             default=PackState.BUILDING)
    file = models.FileField(_("file"), upload_to=evidence_pack_path, max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True, default="")

    class Meta:
        verbose_name = _("evidence pack")
        verbose_name_plural = _("evidence packs")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # Asking again while one is being built gives that one, not a second build.
            models.UniqueConstraint(fields=["case", "requested_by"], condition=Q(state="building"),
                                    name="evidence_pack_one_building"),
        ]

    def __str__(self) -> str:
        return f"evidence pack of case {self.case_id} ({self.state})"
