"""Buyers' phone and address: masked everywhere, revealed only by an explicit, logged action.

Who may reveal: the case's assignee, the shop's supervisors and admins (`cases.reveal_pii`). Each
reveal writes a PiiReveal row and a timeline event naming the field (never the value). A reveal shows
the details the case itself carries: those that arrived with it, or a later explicit, logged update
of the buyer's details (cases/services/buyer_details.py).
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP


def mask_phone(phone: str) -> str:
    """138****8000."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_address(address: str) -> str:
    """The first 6 characters (province, city), then ****."""
    if not address:
        return ""
    return f"{address[:6]}****"


class PersonalDataField(models.CharField):
    """A buyer's name, phone or address: kept, but never a key to filter or sort by in the admin.

    (The one search through one: the queue's search finds part of the buyer's name among the cases
    its user may see anyway, selectors.search_condition; phone and address are never searched.)

    Declaring a field with this class is all it takes: every admin list refuses lookups through it
    (cases/admin_site.py), whatever model it is on and however it is reached.
    """


def personal_data_in(model: type[models.Model], lookup: str) -> bool:
    """Whether a lookup such as `customer__phone__startswith` passes through a personal-data field."""
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # the rest are transforms and lookups (startswith, contains, …)
        if isinstance(field, PersonalDataField):
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False
