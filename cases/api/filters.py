import django_filters
from django.db.models import QuerySet

from cases.models import Case, Kind, State


class CaseFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices)
    state = django_filters.MultipleChoiceFilter(choices=State.choices)
    shop = django_filters.CharFilter(field_name="shop__code")
    assignee = django_filters.CharFilter(method="filter_assignee",
                                         help_text="a username, 'me' or 'none'")
    ordering = django_filters.OrderingFilter(
        fields=("opened_at", "first_response_due_at", "resolution_due_at", "updated_at", "id")
    )

    class Meta:
        model = Case
        fields = ["kind", "state", "shop", "assignee"]

    def filter_assignee(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        return queryset.filter(assignee__username=value)
