from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from cases import permissions  # noqa: F401  (registers the object permissions)
        from cases.deadlines import forget_clocks
        from cases.effects import store_evidence
        from cases.inputs import DISPUTE_INPUTS
        from cases.models import DeadlinePolicy, Dispute, Kind, MarketplaceRule, ShopHoliday
        from cases.reminder_subject import CaseReminders
        from cases.workflows import Workflow, register_workflow
        from notifications.subjects import register as register_reminder_subject

        register_workflow(
            Workflow(model=Dispute, inputs=DISPUTE_INPUTS, effects={"listen": store_evidence}),
            Kind.REFUND, Kind.NON_DELIVERY, Kind.NOT_AS_DESCRIBED,
        )
        # Notifications asks cases about the reminders it delivers (it imports no case module).
        register_reminder_subject(CaseReminders())
        for model in (DeadlinePolicy, MarketplaceRule, ShopHoliday):
            post_save.connect(forget_clocks, sender=model, dispatch_uid=f"clocks-{model.__name__}")
            post_delete.connect(forget_clocks, sender=model, dispatch_uid=f"clocks-{model.__name__}-")
