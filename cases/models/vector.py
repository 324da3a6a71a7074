from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseVector(models.Model):
    """The buyer's text of a case as a vector (cases/assistant/embedding.py): float16 bytes, the
    representation that made them, and a digest of the text they were made from. Kept beside the
    case rather than in its row, so the queue never reads them and computing one never touches
    the case. One per case; a worker writes it (services/vectors.py)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True,
                                related_name="vector", verbose_name=_("case"))
    # The case's shop, copied: a shop's vectors are read without reading its cases.
    shop = models.ForeignKey("cases.Shop", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("shop"))
    representation = models.CharField(_("representation"), max_length=60)
    vector = models.BinaryField(_("vector"))
    text_digest = models.CharField(_("text digest"), max_length=32)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("case vector")
        verbose_name_plural = _("case vectors")
        indexes = [
            # A shop's vectors of one representation; the newest computed_at tells a cached
            # matrix it is stale (cases/assistant/similar.py).
            models.Index(fields=["shop", "representation", "computed_at"],
                         name="casevector_shop_repr_at"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ({self.representation})"
