"""The app's URLs plus two views that sleep past any short timeout (tests only)."""

import time

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urls


def sleep(request: HttpRequest) -> HttpResponse:
    time.sleep(60)
    return HttpResponse("woke up")


urlpatterns = [path("api/v1/slow/", sleep), path("slow/", sleep), *app_urls]
