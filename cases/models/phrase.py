from django.db import models
from django.utils.translation import gettext_lazy as _


class PhraseRule(models.Model):
    """A phrase service language never uses (seed 001) and what to say instead.

    Rules without a shop apply to every shop; a shop's own rule with the same phrase replaces the
    default (and `enabled=False` switches it off for that shop).
    """

    shop = models.ForeignKey(
        "cases.Shop", on_delete=models.CASCADE, null=True, blank=True, related_name="phrase_rules",
        verbose_name=_("shop"), help_text=_("Empty: a default for every shop."),
    )
    phrase = models.CharField(_("phrase to avoid"), max_length=100)
    suggestion = models.CharField(_("say instead"), max_length=300)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("phrase rule")
        verbose_name_plural = _("phrase rules")
        ordering = ["phrase"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "phrase"], name="phrase_unique_per_shop"),
            models.UniqueConstraint(
                fields=["phrase"], condition=models.Q(shop__isnull=True), name="phrase_unique_default"
            ),
        ]

    def __str__(self) -> str:
        return self.phrase
