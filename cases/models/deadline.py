from datetime import timedelta

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.case import Kind


class DeadlinePolicy(models.Model):
    """The shop's own clock for one kind of case. Without a row, the defaults in deadlines.py."""

    shop = models.ForeignKey("cases.Shop", on_delete=models.CASCADE,
                             related_name="deadline_policies", verbose_name=_("shop"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    first_response = models.DurationField(
        _("first response within"), validators=[MinValueValidator(timedelta(minutes=1))]
    )
    resolution = models.DurationField(
        _("resolution within"), validators=[MinValueValidator(timedelta(minutes=1))]
    )
    follow_up_delay = models.DurationField(_("follow-up call after resolution"),
                                           default=timedelta(days=3))
    warning_lead = models.DurationField(_("warn this long before a deadline"),
                                        default=timedelta(hours=4))
    retry_contact_after = models.DurationField(_("call again after no answer"),
                                               default=timedelta(hours=2))

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(fields=["shop", "kind"], name="deadline_policy_per_shop_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.shop} · {self.get_kind_display()}"
