from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from cases.api.survey import SurveyView

DOCS_CSP = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"],
                       "img-src": ["data:", "blob:"]})

urlpatterns = [
    path("", include("cases.pages.urls")),
    # The buyer's satisfaction survey: public, no log-in (cases/api/survey.py).
    path("s/<str:token>/", SurveyView.as_view(), name="survey"),
    path("", include("notifications.pages")),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cases.api.urls")),
    path("api/v1/", include("notifications.api.urls")),
    path("api-auth/", include("rest_framework.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's set-up script is served as a file (the split view), so scripts stay 'self';
    # both renderers set inline styles and use web workers from blob: URLs.
    path("api/docs/", DOCS_CSP(SpectacularSwaggerSplitView.as_view(url_name="schema")),
         name="api-docs"),
    path("api/redoc/", DOCS_CSP(SpectacularRedocView.as_view(url_name="schema")), name="api-redoc"),
]

handler400 = "config.errors.bad_request"
handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
