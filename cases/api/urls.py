from django.urls import path
from rest_framework.routers import SimpleRouter

from cases.api.views import CaseViewSet
from cases.reports.api import DurationReportView

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")

urlpatterns = [
    *router.urls,
    path("reports/<slug:metric>/", DurationReportView.as_view(), name="duration-report"),
]
