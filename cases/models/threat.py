"""Threats flagged at intake: the rules a shop edits (the flags are on the case: Case.threats)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ThreatCode(models.TextChoices):
    """What a buyer threatens (DOMAIN.md: serious complaint / rights protection, 严重投诉与维权)."""

    PLATFORM_COMPLAINT = "platform_complaint", _("Platform complaint")
    REGULATOR = "regulator", _("Complaint to a regulator")
    LEGAL = "legal", _("Legal action")
    EXPOSURE = "exposure", _("Public exposure")
    REVIEW_EXTORTION = "review_extortion", _("Bad review unless paid")


class ThreatSource(models.TextChoices):
    """Where the buyer's words came in."""

    DESCRIPTION = "description", _("case opened")
    REVIEW = "review", _("review")
    MESSAGE = "message", _("buyer's message")


class ThreatRule(models.Model):
    """A pattern in a buyer's text that flags a threat of one kind.

    Like the phrase rules: rules without a shop apply to every shop; a shop's own rule with the
    same kind and pattern replaces the default (`enabled=False` switches it off for that shop).
    A pattern is a regular expression; one of plain letters (English) matches whole words in any
    case (cases/threats.py).
    """

    shop = models.ForeignKey(
        "cases.Shop", on_delete=models.CASCADE, null=True, blank=True, related_name="threat_rules",
        verbose_name=_("shop"), help_text=_("Empty: a default for every shop."),
    )
    code = models.CharField(_("threat"), max_length=24, choices=ThreatCode.choices)
    pattern = models.CharField(
        _("pattern"), max_length=200,
        help_text=_("Words in the buyer's text, in Chinese or English (a regular expression: "
                    "a|b for either, .{0,6} for up to six characters between). English words "
                    "match whole and in any case."))
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("threat rule")
        verbose_name_plural = _("threat rules")
        ordering = ["code", "pattern"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "code", "pattern"],
                                    name="threat_rule_unique_per_shop"),
            models.UniqueConstraint(fields=["code", "pattern"], condition=models.Q(shop__isnull=True),
                                    name="threat_rule_unique_default"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.pattern}"

    def clean(self) -> None:
        from cases.threats import pattern_problem  # the matching lives with the matching

        problem = pattern_problem(self.pattern or "")
        if problem:
            raise ValidationError({"pattern": problem})
