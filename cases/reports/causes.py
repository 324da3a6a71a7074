"""Review causes over time: how many negative reviews each cause explained, week by week, and the
causes that grow this week against the usual (the mean of the four weeks before).

Weeks are counted back from now, seven days each (week 0: the last seven days), by when the buyer
posted the review; a review counts once its case recorded the cause (the listen step). One query.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Case, Shop
from cases.reports.behind import UNKNOWN_CAUSE
from cases.reports.behind import review_causes as cause_choices
from cases.reports.queries import shops_for
from config.service_errors import InvalidInput

USUAL_WEEKS = 4  # the weeks before this one that make "the usual"
RISING_FACTOR = 1.5  # this week at least 1.5 × the usual …
RISING_AT_LEAST = 3  # … and at least 3 reviews (two reviews against one is noise)
MAX_WEEKS = 52


class CausesQuery(serializers.Serializer):
    shop = serializers.SlugRelatedField(
        slug_field="code", queryset=Shop.objects.none(), required=False,
        error_messages={"does_not_exist": _("None of your shops has the code {value}.")})
    weeks = serializers.IntegerField(min_value=1, max_value=MAX_WEEKS, default=8, required=False)

    def __init__(self, *args: Any, by: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = shops_for(by)


def _reviews() -> Any:
    """The reviews, read through the case's relation: cases does not import the reviews app."""
    return Case._meta.get_field("review").related_model


def cause_label(cause: str) -> str:
    names = {value: name for value, name in cause_choices() if value != UNKNOWN_CAUSE}
    return str(names[cause]) if cause in names else cause


def review_causes(*, by: Any, params: Any, now: datetime | None = None) -> dict[str, Any]:
    """{"weeks": [{"start", "end"}] oldest first, "causes": [{"cause", "label", "counts"}] (one
    count per week, oldest first), "rising": [{"cause", "label", "this_week", "usual", "ratio"}]}.
    `ratio` is None for a cause that was not seen in the usual weeks."""
    serializer = CausesQuery(data=params, by=by)
    if not serializer.is_valid():
        raise InvalidInput(serializer.errors)
    q = serializer.validated_data
    weeks = q.get("weeks") or 8
    shops = [q["shop"]] if q.get("shop") else list(shops_for(by))
    now = now or timezone.now()
    span = max(weeks, USUAL_WEEKS + 1)
    bounds = [(now - timedelta(days=7 * (i + 1)), now - timedelta(days=7 * i)) for i in range(span)]
    counts = (_reviews().objects.filter(shop__in=shops, case__isnull=False, posted_at__gte=bounds[-1][0],
                                    posted_at__lt=now).exclude(cause="")
              .values("cause").annotate(**{f"w{i}": Count("id", filter=Q(
                  posted_at__gte=start, posted_at__lt=end)) for i, (start, end) in enumerate(bounds)})
              .order_by("cause"))
    causes, rising = [], []
    for row in counts:
        per_week = [row[f"w{i}"] for i in range(span)]
        causes.append({"cause": row["cause"], "label": cause_label(row["cause"]),
                       "counts": list(reversed(per_week[:weeks]))})
        this_week = per_week[0]
        usual = sum(per_week[1:USUAL_WEEKS + 1]) / USUAL_WEEKS
        if this_week >= RISING_AT_LEAST and this_week >= RISING_FACTOR * usual:
            rising.append({"cause": row["cause"], "label": cause_label(row["cause"]),
                           "this_week": this_week, "usual": round(usual, 2),
                           "ratio": round(this_week / usual, 1) if usual else None})
    rising.sort(key=lambda r: (r["ratio"] is not None, -(r["ratio"] or 0), r["cause"]))
    return {"shop": q["shop"].code if q.get("shop") else None, "now": now,
            "weeks": [{"start": s, "end": e} for s, e in reversed(bounds[:weeks])],
            "causes": causes, "rising": rising}
