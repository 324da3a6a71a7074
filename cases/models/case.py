"""One table for every case in the queue; each kind's workflow is a proxy model (see workflows/)."""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMFieldMixin

from cases.models.shop import Customer, Order, Shop
from cases.pii import PersonalDataField


class Kind(models.TextChoices):
    REFUND = "refund", _("Refund")
    NON_DELIVERY = "non_delivery", _("Parcel not received")
    NOT_AS_DESCRIBED = "not_as_described", _("Item not as described")
    NEGATIVE_REVIEW = "negative_review", _("Negative review")


class State(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CALMED = "calmed", _("Calmed")
    UNDERSTOOD = "understood", _("Understood")
    PROPOSED = "proposed", _("Remedy proposed")
    # A refund above the shop's limits waits for a supervisor (cases/approval.py).
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    ESCALATED = "escalated", _("Escalated")
    # negative-review cases
    REMEDIED = "remedied", _("Remedied")
    REVISION_REQUESTED = "revision_requested", _("Revision requested")
    REVISED = "revised", _("Review revised")
    REPLIED = "replied", _("Replied publicly")


class TrackingStatus(models.TextChoices):
    IN_TRANSIT = "in_transit", _("In transit")
    LOST = "lost", _("Lost")
    DELIVERED_NOT_RECEIVED = "delivered_not_received", _("Delivered but not received")
    RETURNED_TO_SENDER = "returned_to_sender", _("Returned to sender")
    NO_TRACKING = "no_tracking", _("No tracking")


class Remedy(models.TextChoices):
    FULL_REFUND = "full_refund", _("Full refund")
    PARTIAL_REFUND = "partial_refund", _("Partial refund")
    RESHIP = "reship", _("Reship")
    EXCHANGE = "exchange", _("Exchange")
    RETURN_AND_REFUND = "return_and_refund", _("Return and refund")
    COUPON = "coupon", _("Coupon")
    APOLOGY_ONLY = "apology_only", _("Apology only")


# The remedies with which money goes back to the buyer (a refund).
MONEY_REMEDIES = frozenset({Remedy.FULL_REFUND, Remedy.PARTIAL_REFUND, Remedy.RETURN_AND_REFUND})


class ClosedAs(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    WITHDRAWN = "withdrawn", _("Withdrawn by the buyer")


OPEN_STATES = frozenset(State.values) - {State.CLOSED}


@functools.cache
def _state_fields(model: type[models.Model]) -> tuple[Any, ...]:
    return tuple(f for f in model._meta.fields if isinstance(f, FSMFieldMixin))


class Case(ConcurrentTransitionMixin, models.Model):
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="cases", verbose_name=_("shop")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # Changed only by the workflow's transitions: never editable in forms or the admin, and
    # assigning it directly raises (protected; tests/cases/test_state_integrity.py).
    state = FSMField(_("state"), default=State.NEW, choices=State.choices, editable=False, protected=True)
    external_id = models.CharField(_("marketplace id"), max_length=100, blank=True, default="")
    description = models.TextField(_("description"), blank=True)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("order")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("buyer"),
    )
    # The buyer's contact details this case carries: those that arrived with it (the marketplace's
    # snapshot for this order), or an explicit, logged update (services/buyer_details.py). Opening
    # another case for the same buyer never changes them; a reveal shows these, masked elsewhere.
    buyer_name = PersonalDataField(_("buyer's name"), max_length=120, blank=True, default="")
    buyer_phone = PersonalDataField(_("buyer's phone"), max_length=32, blank=True, default="")
    buyer_address = PersonalDataField(_("buyer's address"), max_length=300, blank=True, default="")
    claimed_amount = models.DecimalField(
        _("claimed amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="assigned_cases", verbose_name=_("assignee"),
    )

    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first responded at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # The last escalation: a deadline breach escalates a case once (see services/escalation.py).
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Threats in the buyer's words (cases/threats.py), one per kind, with the words that triggered
    # it: [{"code", "matched", "source", "at"}]. `flagged`: the case has one and is open, so the
    # queue and claim next put it ahead (cleared when it closes, set again when it reopens).
    threats = models.JSONField(_("threats"), default=list, blank=True)
    flagged = models.BooleanField(_("threat flagged"), default=False)
    # The marketplace's clock (cases/deadlines.py): the platform acts without the seller after this,
    # unless the seller answered first. Never paused.
    marketplace_due_at = models.DateTimeField(_("marketplace decides at"), null=True, blank=True)
    marketplace_rule = models.CharField(_("marketplace rule"), max_length=60, blank=True, default="")
    platform_decided_at = models.DateTimeField(_("platform decided at"), null=True, blank=True)
    appeal_due_at = models.DateTimeField(_("appeal possible until"), null=True, blank=True)
    # The shop's clock is paused while the shop waits for the buyer (e.g. for evidence).
    clock_paused_at = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    follow_up_due_at = models.DateTimeField(_("follow-up call due"), null=True, blank=True)
    # The earliest deadline still running (deadlines.refresh): what the queue sorts and filters by.
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True)
    closed_as = models.CharField(
        _("closed as"), max_length=16, choices=ClosedAs.choices, blank=True, default=""
    )

    # What the current agent has learnt (reset by a hand-over: the new agent calms and listens again).
    calmed_at = models.DateTimeField(_("calmed at"), null=True, blank=True)
    core_problem = models.TextField(_("core problem"), blank=True, default="")
    tracking_status = models.CharField(
        _("tracking status"), max_length=32, choices=TrackingStatus.choices, blank=True, default=""
    )
    # Not `remedy`: that is the name of a transition of the review workflow.
    chosen_remedy = models.CharField(
        _("remedy"), max_length=32, choices=Remedy.choices, blank=True, default=""
    )
    remedy_amount = models.DecimalField(
        _("remedy amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "external_id"],
                condition=~models.Q(external_id=""),
                name="case_unique_external_id_per_shop",
            ),
        ]
        indexes = [
            # The queue: a shop's cases in a state, most urgent deadline first
            # (WHERE shop_id = … AND state IN (…) ORDER BY next_due_at).
            models.Index(fields=["shop", "state", "next_due_at"], name="case_shop_state_next_due"),
            # "My queue": an agent's open cases, most urgent first (WHERE assignee_id = … ORDER BY …).
            models.Index(fields=["assignee", "state", "next_due_at"], name="case_assignee_next_due"),
            # The queue page's "mine" tab: WHERE assignee_id = … AND shop_id IN (…) AND state <>
            # 'closed' ORDER BY flagged DESC, next_due_at, id LIMIT 50 (threats first) — read in
            # order from this index, no sort
            # of all open cases (8.7 ms → under 1 ms for an agent with 850 open cases); shop and
            # state ride along so the page's COUNT and counts per state are index-only scans
            # (25 ms → a few ms each for an agent with 8,400 open cases; docs/BENCHMARKS.md).
            models.Index(fields=["assignee", "-flagged", "next_due_at", "id", "shop", "state"],
                         name="case_open_by_assignee", condition=~models.Q(state="closed")),
            # "Breaching soon" across shops: WHERE next_due_at < now + lead ORDER BY next_due_at.
            models.Index(fields=["next_due_at"], name="case_next_due"),
            # Default list order.
            models.Index(fields=["-opened_at", "-id"], name="case_opened"),
            # Claim next (services/assignment.py): the unassigned open cases of an agent's shops,
            # a small part of the table, sorted by urgency.
            models.Index(fields=["shop", "next_due_at"], name="case_unassigned_open",
                         condition=models.Q(assignee__isnull=True) & ~models.Q(state="closed")),
            # A supervisor's tab counts (pages/queue_filters.py tab_counts): the open cases of their
            # shops by state and deadline, with the assignee, read from the index alone (the rows of
            # 85,000 open cases of a shop took 90 ms to count at 1,000,000 cases; this, a few ms).
            models.Index(fields=["shop", "state", "next_due_at"], include=["assignee"],
                         name="case_open_in_shop", condition=~models.Q(state="closed")),
            # The queue page's sort by age on "mine" (the other tabs walk case_opened, either
            # way). Its sorts by amount (no amount counts as the least: NULLS FIRST) and by the most
            # time left (no deadline last: DESC NULLS LAST) use indexes SQLite cannot make, made on
            # PostgreSQL by migration 0023.
            models.Index(fields=["assignee", "opened_at", "id"], name="case_open_by_assignee_age",
                         condition=~models.Q(state="closed")),
            # The escalations page: a shop's escalated cases, the longest waiting first (the other
            # sorts read this small part of the table and sort it).
            models.Index(fields=["shop", "escalated_at", "id"], name="case_escalated",
                         condition=models.Q(state="escalated")),
            # The report page: a shop's cases by the moment each figure counts them in a range
            # (WHERE shop_id = … AND resolved_at >= since: the weekly times, the cohorts opened in
            # the range), the cases behind a week of a chart, newest first, and the assistant's probe of a
            # shop's newest resolution (is its cached matrix of vectors stale? cases/assistant/similar.py).
            models.Index(fields=["shop", "resolved_at"], name="case_shop_resolved"),
            models.Index(fields=["shop", "first_responded_at"], name="case_shop_answered"),
            models.Index(fields=["shop", "opened_at"], name="case_shop_opened"),
            models.Index(fields=["shop", "closed_at"], name="case_shop_closed"),
            # On PostgreSQL these four carry the columns the report page's figures read (INCLUDE,
            # migration 0035), so each figure is an index-only scan of the shop's cases in range.
            # The counts per state of a supervisor's "all" tab (the queue page, and its live answer
            # every 20 s): a shop's cases GROUP BY state as an index-only scan instead of reading
            # every case of the shop (58 → a few ms for a 20,000-case shop; docs/BENCHMARKS.md).
            models.Index(fields=["shop", "state", "id"], name="case_shop_state"),
            # The escalations page's first part: a shop's refunds awaiting a supervisor's
            # approval, the most urgent first.
            models.Index(fields=["shop", "next_due_at", "id"], name="case_awaiting_approval",
                         condition=models.Q(state="awaiting_approval")),
            # The queue's search uses indexes that only PostgreSQL has (trigram, prefix), made by
            # migration 0018 (selectors.search_condition).
            # The agent scorecard reads a shop's assigned cases through a covering index
            # (shop, assignee) INCLUDE (its columns), made on PostgreSQL by migration 0026.
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} ({self.get_state_display()})"

    @property
    def state_fields(self) -> tuple[Any, ...]:
        """The workflow's state field, found once per model: django-fsm looks through every field
        of the model each time a case is made (1,700 checks for a page of 50 cases)."""
        return _state_fields(type(self))

    # --- predicates used by the workflows' guards (each also names its reason, see guards.py) ---

    def has_heard_buyer(self) -> bool:
        """The current agent recorded a calm step and the buyer's core problem."""
        return self.calmed_at is not None and bool(self.core_problem.strip())

    def within_reopen_window(self, now: timezone.datetime | None = None) -> bool:
        if self.closed_at is None:
            return False
        window = timedelta(days=self.shop.reopen_window_days)
        return (now or timezone.now()) <= self.closed_at + window

    def buyer_reached_after_resolution(self) -> bool:
        """After the resolution the buyer was reached (or wrote to us), and the shop spoke last."""
        if self.resolved_at is None:
            return False
        contacts = self.contacts.filter(at__gte=self.resolved_at).order_by("-at", "-id")
        latest = contacts.first()
        if latest is None or latest.direction != "outbound":
            return False
        return contacts.filter(models.Q(outcome="reached") | models.Q(direction="inbound")).exists()

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def start_new_cycle(self) -> None:
        """A new agent (hand-over) or a reopened case: calm and listen must happen again."""
        self.calmed_at = None
        self.core_problem = ""
        self.chosen_remedy = ""
        self.remedy_amount = None
