"""A marketplace review and the negative-review workflow (中差评) its case follows."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, transition

from cases import approval, deadlines
from cases import guards as case_guards
from cases.models import Case, Customer, Order, Shop, State
from cases.models.dispute import ui
from cases.permissions import may_approve, may_hand_over, may_work
from reviews import guards

S = State
OPEN_REVIEW_STATES = [S.NEW, S.CALMED, S.UNDERSTOOD, S.AWAITING_APPROVAL, S.REMEDIED,
                      S.REVISION_REQUESTED, S.ESCALATED]
BEFORE_REMEDY = [S.NEW, S.CALMED, S.UNDERSTOOD, S.AWAITING_APPROVAL, S.REMEDIED,
                 S.REVISION_REQUESTED]


class Cause(models.TextChoices):
    QUALITY = "quality", _("Quality")
    LOGISTICS = "logistics", _("Logistics")
    DESCRIPTION_MISMATCH = "description_mismatch", _("Not as described")
    SERVICE_ATTITUDE = "service_attitude", _("Service attitude")
    PRICE = "price", _("Price")
    OTHER = "other", _("Other")


# Which reviews open a negative-review case, however they arrive (API, webhook, import).
OPENS_A_CASE_AT_OR_BELOW = 3  # 中评 and 差评


def opens_a_case(rating: int) -> bool:
    """A review rated 3 or below (中评, 差评) opens a case; a good one is only stored."""
    return rating <= OPENS_A_CASE_AT_OR_BELOW


def external_id_of(platform_review_id: str) -> str:
    """The marketplace id of the case a review opens, the same on every road into the product."""
    return f"review:{platform_review_id}"


class Review(models.Model):
    """A buyer's review on the marketplace. Ratings of 3 and below open a case (opens_a_case)."""

    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="reviews",
                             verbose_name=_("shop"))
    platform_review_id = models.CharField(_("platform review id"), max_length=100)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, null=True, blank=True,
                              verbose_name=_("order"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True,
                                 verbose_name=_("buyer"))
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("text"), blank=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    posted_at = models.DateTimeField(_("posted at"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="review", verbose_name=_("case"))
    # What the case found and how the review ended.
    cause = models.CharField(_("cause"), max_length=32, choices=Cause.choices, blank=True)
    revision_requested_at = models.DateTimeField(_("revision requested at"), null=True, blank=True)
    revised_rating = models.PositiveSmallIntegerField(
        _("revised rating"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    public_reply = models.TextField(_("public reply"), blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["shop", "platform_review_id"],
                                    name="review_unique_per_shop"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5),
                                   name="review_rating_1_to_5"),
        ]
        indexes = [
            # The reviews list of a shop, newest first, and the share of bad ones (reports).
            models.Index(fields=["shop", "-posted_at"], name="review_shop_posted"),
            models.Index(fields=["shop", "rating"], name="review_shop_rating"),
        ]

    def __str__(self) -> str:
        return f"{self.platform_review_id} ({self.rating}★)"


class ReviewCase(Case):
    """calm → listen → remedy → request a revision, or reply publicly; see docs/workflows.md."""

    class Meta:
        proxy = True
        verbose_name = _("negative-review case")
        verbose_name_plural = _("negative-review cases")

    @transition(field="state", source=[S.NEW], target=S.CALMED,
                conditions=[guards.buyer_contactable, guards.buyer_reached],
                permission=may_work,
                custom=ui(_("Calm"), _("Once you have reached the buyer, first soothe them; "
                                       "do not argue.")))
    def calm(self, *, note: str, **_: Any) -> None:
        self.calmed_at = timezone.now()

    @transition(field="state", source=S.CALMED, target=S.UNDERSTOOD, permission=may_work,
                conditions=[guards.buyer_contactable],
                custom=ui(_("Listen"), _("Dig out why the buyer rated low: the core problem "
                                         "and its cause.")))
    def listen(self, *, core_problem: str, cause: str, **_: Any) -> None:
        self.core_problem = core_problem

    @transition(field="state", source=[S.UNDERSTOOD, S.ESCALATED],
                target=RETURN_VALUE(S.REMEDIED, S.AWAITING_APPROVAL),
                conditions=[case_guards.heard_buyer, guards.buyer_contactable],
                permission=may_work,
                custom=ui(_("Remedy"), _("Make good what went wrong, basic need first. A refund "
                                         "above the shop's limits waits for a supervisor's "
                                         "approval.")))
    def remedy(self, *, remedy: str, amount: Any = None, by: Any = None, **_: Any) -> str:
        self.chosen_remedy = remedy
        self.remedy_amount = amount
        return approval.state_after_proposal(self, by=by, remedy=remedy, amount=amount,
                                             proposed=S.REMEDIED)

    @transition(field="state", source=S.AWAITING_APPROVAL, target=S.REMEDIED,
                permission=may_approve,
                custom=ui(_("Approve refund"), _("A supervisor agrees to the refund; it is "
                                                 "made good to the buyer.")))
    def approve_remedy(self, **_: Any) -> None:
        pass

    @transition(field="state", source=S.AWAITING_APPROVAL, target=S.UNDERSTOOD,
                permission=may_approve,
                custom=ui(_("Decline refund"), _("A supervisor turns the refund down, with the "
                                                 "reason: the agent looks for another remedy.")))
    def decline_remedy(self, *, reason: str, **_: Any) -> None:
        self.chosen_remedy = ""
        self.remedy_amount = None

    @transition(field="state", source=S.REMEDIED, target=S.REVISION_REQUESTED,
                conditions=[guards.revision_not_requested_yet,
                            guards.buyer_contactable, case_guards.contact_allowed_now],
                permission=may_work,
                custom=ui(_("Ask for a revision"), _("Once, politely: would the buyer update "
                                                     "the review? Never more than once.")))
    def request_revision(self, *, message: str, **_: Any) -> None:
        pass

    @transition(field="state", source=S.REVISION_REQUESTED, target=S.REVISED, permission=may_work,
                custom=ui(_("Review revised"), _("The buyer updated the review.")))
    def mark_revised(self, *, new_rating: int, **_: Any) -> None:
        self.resolved_at = timezone.now()

    @transition(field="state", source=OPEN_REVIEW_STATES, target=S.REPLIED, permission=may_work,
                custom=ui(_("Reply publicly"), _("Explain under the review, and show the shop's "
                                                 "service: other buyers read it.")))
    def reply_publicly(self, *, text: str, **_: Any) -> None:
        self.resolved_at = timezone.now()

    @transition(field="state", source=[S.REVISED, S.REPLIED], target=S.CLOSED, permission=may_work,
                custom=ui(_("Close"), _("The review was revised or answered publicly.")))
    def close(self, **_: Any) -> None:
        self.closed_at = timezone.now()
        self.closed_as = "resolved"

    @transition(field="state", source=BEFORE_REMEDY, target=S.ESCALATED, permission=may_work,
                custom=ui(_("Escalate"), _("Pass the complaint to a supervisor, with the reason.")))
    def escalate(self, *, reason: str, **_: Any) -> None:
        self.escalated_at = timezone.now()

    @transition(field="state", source=[S.CALMED, S.UNDERSTOOD, S.AWAITING_APPROVAL, S.REMEDIED,
                                       S.REVISION_REQUESTED, S.ESCALATED],
                target=S.NEW, permission=may_hand_over,
                custom=ui(_("Hand over"), _("The fastest way to calm a deadlocked buyer is to "
                                            "change the agent.")))
    def hand_over(self, *, to: Any, reason: str, **_: Any) -> None:
        self.assignee = to
        self.start_new_cycle()
        deadlines.restart_resolution_clock(self, timezone.now())
