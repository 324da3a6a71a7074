from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from cases.api.assistant import SimilarCasesView
from cases.api.attachments import (
    AttachmentDownloadView,
    BuiltEvidencePackView,
    CaseAttachmentsView,
    EvidencePackView,
)
from cases.api.canned_replies import CannedReplyViewSet
from cases.api.views import CaseViewSet
from cases.api.webhooks import marketplace_webhook
from cases.reports.api import ReportView
from cases.reports.views import AgentScorecardView, ReviewCausesView

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("canned-replies", CannedReplyViewSet, basename="canned-reply")

urlpatterns = [
    *router.urls,
    path("reports/agent-scorecard/", AgentScorecardView.as_view(), name="report-agent-scorecard"),
    path("reports/review-causes/", ReviewCausesView.as_view(), name="report-review-causes"),
    path("reports/<slug:name>/", ReportView.as_view(), name="report"),
    path("webhooks/<slug:shop>/", marketplace_webhook, name="marketplace-webhook"),
    # Ids as the case routes take them (at most 18 digits: larger ones are a 404, not an overflow).
    re_path(r"^cases/(?P<case_id>[0-9]{1,18})/attachments/$", CaseAttachmentsView.as_view(),
            name="case-attachments"),
    re_path(r"^cases/(?P<case_id>[0-9]{1,18})/attachments/(?P<attachment_id>[0-9]{1,18})/$",
            AttachmentDownloadView.as_view(), name="case-attachment"),
    re_path(r"^cases/(?P<case_id>[0-9]{1,18})/evidence-pack/$", EvidencePackView.as_view(),
            name="case-evidence-pack"),
    re_path(r"^cases/(?P<case_id>[0-9]{1,18})/evidence-pack/(?P<pack_id>[0-9]{1,18})/$",
            BuiltEvidencePackView.as_view(), name="case-evidence-pack-built"),
    re_path(r"^cases/(?P<case_id>[0-9]{1,18})/similar/$", SimilarCasesView.as_view(),
            name="case-similar"),
]
