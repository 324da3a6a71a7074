"""What a refused request must leave as it was: every case row and every table a request writes to."""

from __future__ import annotations

from typing import Any

from cases.models import Case, Contact, Customer, Evidence, Order, TimelineEvent
from notifications.models import Notification
from reviews.models import ReviewCase


def snapshot() -> dict[str, Any]:
    """The database as far as requests change it; compare one taken before and one after."""
    return {
        "cases": sorted((row["id"], sorted(row.items())) for row in Case.objects.values()),
        "events": TimelineEvent.objects.count(),
        "contacts": Contact.objects.count(),
        "evidence": Evidence.objects.count(),
        "customers": sorted(Customer.objects.values_list("id", "handle", "name", "phone", "address",
                                                         "do_not_contact")),
        "orders": sorted(Order.objects.values_list("id", "number", "paid_amount")),
        "reviews": ReviewCase.objects.count(),
        "unread": sorted(Notification.objects.filter(read_at__isnull=True).values_list("id", flat=True)),
    }
