"""Files attached to a case (the buyer's photos, courier receipts), checked before they are kept."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The suffixes a file of each detected type may keep when it is served or packed; any other suffix
# gives way to the type's own extension (text is always `.txt`, so `page.html` becomes `page.txt`).
KEPT_SUFFIXES = {".jpg": {".jpg", ".jpeg"}}


def name_for_type(name: str, extension: str) -> str:
    """`name` ending in `extension` (or one of its synonyms), so no program opens it as another type."""
    suffix = PurePosixPath(name).suffix
    if suffix.lower() in KEPT_SUFFIXES.get(extension, {extension}):
        return name
    if suffix and len(suffix) <= 10 and suffix[1:].isalnum():
        name = name[: -len(suffix)]
    return f"{name}{extension}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored under a random name; the original name is kept in the row, never used as a path.
    return f"attachments/{instance.case_id}/{instance.sha256[:32]}{instance.extension}"


class Attachment(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="attachments",
                             verbose_name=_("case"))
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        # A case's attachments in upload order (case page, API, evidence pack).
        indexes = [models.Index(fields=["case", "uploaded_at"], name="attachment_case_at")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def file_name(self) -> str:
        """The name it is downloaded and packed under: the original one, with the detected type's
        extension (a text file called `page.html` is `page.txt`)."""
        return name_for_type(self.original_name, self.extension)
