"""Pages of API lists, shared by every app's API (cases, notifications)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

# Left empty, a parameter means its default (as the queue's form sends it).
WHOLE_OR_EMPTY = {"oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": [""]}]}


class PagePagination(PageNumberPagination):
    """Pages of 50; ?page_size= from 1 up (more than 200 gives 200); anything else is a 400."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if not raw:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise ValidationError({self.page_size_query_param: [
                _("Give page_size as a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            ]})
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view: object) -> list[dict]:
        return [
            {"name": self.page_query_param, "in": "query", "required": False,
             "description": "Page number, from 1.", "schema": WHOLE_OR_EMPTY},
            {"name": self.page_size_query_param, "in": "query", "required": False,
             "description": f"Rows per page (default {self.page_size}, at most "
                            f"{self.max_page_size}).", "schema": WHOLE_OR_EMPTY},
        ]
