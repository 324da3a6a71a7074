from datetime import UTC, datetime

import django_filters
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from cases.models import Case, Kind, State

ORDERINGS = ("opened_at", "first_response_due_at", "resolution_due_at", "next_due_at",
             "updated_at", "id")


class CaseFilter(django_filters.FilterSet):
    # distinct=False: these filter the case row itself (no join that could repeat it), and a
    # DISTINCT would make PostgreSQL sort every matching case with its joins before the LIMIT.
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices, distinct=False)
    state = django_filters.MultipleChoiceFilter(choices=State.choices, distinct=False)
    shop = django_filters.CharFilter(field_name="shop__code")
    assignee = django_filters.CharFilter(method="filter_assignee",
                                         help_text="a username, 'me' or 'none'")
    due_before = django_filters.IsoDateTimeFilter(method="filter_due_before",
                                                  help_text="next deadline before this time")
    breached = django_filters.ChoiceFilter(choices=[("true", "true"), ("false", "false")],
                                           method="filter_breached",
                                           help_text="true: the next deadline has passed")
    ordering = django_filters.OrderingFilter(fields=ORDERINGS, method="order")

    class Meta:
        model = Case
        fields = ["kind", "state", "shop", "assignee"]

    def filter_assignee(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        return queryset.filter(assignee__username=value)

    def filter_due_before(self, queryset: QuerySet[Case], name: str, value: datetime
                          ) -> QuerySet[Case]:
        """In UTC: PostgreSQL refuses offsets it does not know (e.g. +23:55) that Python accepts."""
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            raise ValidationError({"due_before": [_("This time is out of range.")]}) from None
        return queryset.filter(next_due_at__lt=value)

    def filter_breached(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        now = timezone.now()
        if value == "true":
            return queryset.filter(next_due_at__lte=now)
        return queryset.exclude(next_due_at__lte=now)

    def order(self, queryset: QuerySet[Case], name: str, value: list[str]) -> QuerySet[Case]:
        """Cases without a running deadline sort last either way, on every database."""
        terms = []
        for term in value:
            field = term.lstrip("-")
            if not field:  # "ordering=a,,b": an empty term orders nothing
                continue
            expression = F(field).desc(nulls_last=True) if term.startswith("-") else F(field).asc(
                nulls_last=True)
            terms.append(expression)
        return queryset.order_by(*terms, "id")
