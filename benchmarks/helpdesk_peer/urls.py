"""The peer's URLs: the admin, then django-helpdesk at the site's root (/tickets/, /tickets/<id>/)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
