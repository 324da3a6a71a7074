from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from cases.evidence import store_evidence
        from cases.inputs import DISPUTE_INPUTS
        from cases.models import Dispute, Kind
        from cases.workflows import Workflow, register_workflow

        register_workflow(
            Workflow(model=Dispute, inputs=DISPUTE_INPUTS, effects={"listen": store_evidence}),
            Kind.REFUND, Kind.NON_DELIVERY, Kind.NOT_AS_DESCRIBED,
        )
