"""The admin's list filters by shop or by person offer only the viewer's own shops and their staff.

Django's filter on a relation lists every row of the related table, whatever the list itself
shows: a supervisor would read every shop's code (and every user's name) from the sidebar. Every
list filter on a relation to a shop or to a user, in every ModelAdmin, is this one instead
(registered ahead of Django's own through `FieldListFilter.register`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest

from cases.models import Shop
from cases.permissions import roles_of


def _limit_for(related_model: Any, request: HttpRequest) -> Q | None:
    """What of `related_model` the viewer may see named (None: everything, for a superuser)."""
    if request.user.is_superuser:
        return None
    _groups, shop_ids = roles_of(request.user)
    if related_model is Shop:
        return Q(pk__in=shop_ids)
    return Q(pk__in=Shop.members.through.objects.filter(shop_id__in=shop_ids).values("user_id"))


class OwnShopsRelatedFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[Any]:
        limit = _limit_for(field.related_model, request)
        if limit is None:
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=limit)


def _to_shop_or_user(field: Any) -> bool:
    return field.remote_field is not None and field.related_model in (Shop, get_user_model())


admin.FieldListFilter.register(_to_shop_or_user, OwnShopsRelatedFilter, take_priority=True)
