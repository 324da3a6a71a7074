from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from reviews.models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews come from the marketplace (API, import); their case is worked on the case page."""

    list_display = ["platform_review_id", "shop", "rating", "category", "posted_at", "case",
                    "revised_rating"]
    list_filter = ["shop", "rating", "cause"]
    search_fields = ["platform_review_id", "text"]
    list_select_related = ["shop", "case"]
    date_hierarchy = "posted_at"
    readonly_fields = ["shop", "platform_review_id", "order", "customer", "rating", "text",
                       "category", "posted_at", "imported_at", "case", "cause",
                       "revision_requested_at", "revised_rating", "public_reply"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        reviews = super().get_queryset(request)
        if request.user.is_superuser:
            return reviews
        return reviews.filter(shop__members=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
