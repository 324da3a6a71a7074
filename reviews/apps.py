from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Negative-review cases (中差评): the review, its workflow, and the import of reviews."""

    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from cases.models import Kind
        from cases.workflows import Workflow, register_workflow
        from reviews import effects
        from reviews.inputs import REVIEW_INPUTS, OpenReviewCaseInput
        from reviews.models import ReviewCase

        register_workflow(
            Workflow(
                model=ReviewCase,
                inputs=REVIEW_INPUTS,
                effects={
                    "listen": effects.record_cause,
                    "request_revision": effects.record_revision_request,
                    "mark_revised": effects.record_revision,
                    "reply_publicly": effects.record_public_reply,
                },
                open_input=OpenReviewCaseInput,
                on_open=effects.attach_review,
                external_id=effects.review_id_as_external_id,
                marketplace_from=effects.review_posted_at,
                opens_case=effects.review_opens_a_case,
            ),
            Kind.NEGATIVE_REVIEW,
        )
