"""The fields every input shares: text limits, money, and what the admin and the pages call each field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TEXT = {"max_length": 4000}



# What the admin and the pages call each input field (English and Chinese).
FIELD_LABELS = {
    "message": _("Message to the buyer"),
    "note": _("Note"),
    "core_problem": _("core problem"),
    "tracking_status": _("tracking status"),
    "evidence": _("evidence"),
    "remedy": _("remedy"),
    "amount": _("Amount"),
    "reason": _("Reason"),
    "to": _("Hand over to"),
    "cause": _("cause"),
    "new_rating": _("revised rating"),
    "text": _("public reply"),
    "temperament": _("temperament"),
    "product_knowledge": _("knowledge of the product"),
    "channel": _("Channel"),
    "direction": _("Direction"),
    "outcome": _("Outcome"),
    "body": _("What was said"),
}


MONEY = {"max_digits": 12, "decimal_places": 2}
