from django.urls import path
from rest_framework.routers import SimpleRouter

from cases.api.views import CaseViewSet
from cases.api.webhooks import marketplace_webhook
from cases.reports.api import ReportView

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")

urlpatterns = [
    *router.urls,
    path("reports/<slug:name>/", ReportView.as_view(), name="report"),
    path("webhooks/<slug:shop>/", marketplace_webhook, name="marketplace-webhook"),
]
