from datetime import UTC, datetime

import django_filters
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from cases import selectors
from cases.models import Case, Kind, State
from config.service_errors import InvalidInput

ORDERINGS = ("opened_at", "first_response_due_at", "resolution_due_at", "next_due_at",
             "updated_at", "id")

FLAGGED = {"true": True, "1": True, "false": False, "0": False}


class CaseFilter(django_filters.FilterSet):
    # distinct=False: these filter the case row itself (no join that could repeat it), and a
    # DISTINCT would make PostgreSQL sort every matching case with its joins before the LIMIT.
    kind = django_filters.MultipleChoiceFilter(choices=Kind.choices, distinct=False)
    state = django_filters.MultipleChoiceFilter(choices=State.choices, distinct=False)
    shop = django_filters.CharFilter(field_name="shop__code")
    assignee = django_filters.CharFilter(help_text="a username, 'me' or 'none'")
    due_before = django_filters.IsoDateTimeFilter(help_text="next deadline before this time")
    breached = django_filters.ChoiceFilter(choices=[("true", "true"), ("false", "false")],
                                           help_text="true: the next deadline has passed")
    flagged = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")], method="flagged_only",
        help_text="true or 1: only open cases whose buyer threatened (a complaint, legal action, "
                  "exposure, a review for money); false or 0: the others")
    search = django_filters.CharFilter(
        method="search_for", help_text="part of a buyer's handle or name, a case number (123 or "
        "#123), the start of an order number or of a marketplace id; at most 100 characters")
    ordering = django_filters.OrderingFilter(fields=ORDERINGS, method="order")

    class Meta:
        model = Case
        fields = ["kind", "state", "shop", "assignee"]

    def filter_queryset(self, queryset: QuerySet[Case]) -> QuerySet[Case]:
        """The queue's filters (the same selector as the queue page), then the ordering."""
        values = self.form.cleaned_data
        try:
            cases = self._filter_queue(queryset, values)
        except InvalidInput as error:  # a bad search: answered as every bad query parameter is
            raise ValidationError(error.errors) from None
        ordering = values.get("ordering")
        return self.order(cases, "ordering", ordering) if ordering else cases

    def _filter_queue(self, queryset: QuerySet[Case], values: dict) -> QuerySet[Case]:
        breached = values.get("breached")
        return selectors.filter_queue(
            queryset, self.request.user, kinds=values.get("kind") or (),
            states=values.get("state") or (), shop=values.get("shop") or "",
            assignee=values.get("assignee") or "", due_before=_in_utc(values.get("due_before")),
            breached={"true": True, "false": False}.get(breached) if breached else None,
            flagged=FLAGGED.get(values.get("flagged") or ""),
            # As sent: blank or too long is a 400 with the reason, not "no search".
            search=self.data.get("search"),
        )

    def flagged_only(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset  # filter_queryset passes it to the queue's selector

    def search_for(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset  # filter_queryset passes the search to the queue's selector

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


def _in_utc(value: datetime | None) -> datetime | None:
    """PostgreSQL refuses offsets it does not know (e.g. +23:55) that Python accepts."""
    if value is None:
        return None
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValidationError({"due_before": [_("This time is out of range.")]}) from None
