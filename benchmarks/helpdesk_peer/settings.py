"""Settings of the peer project: django-helpdesk 2.6.1 as its install docs set it up (the core apps of
docs/install.rst), on PostgreSQL `PEER_DATABASE_URL`, with django-helpdesk's defaults left as they
are but one: teams mode, whose default needs the optional pinax-teams apps (the `teams` extra, not
in the docs' core app list, off in the project's own demo). It only changes the dashboard and
knowledge-base assignment, not the ticket list or the ticket page. BASE_DIR is this repository, so
that our harness (benchmarks.measuring, benchmarks.document) writes to its docs/BENCHMARKS.md."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
SECRET_KEY = "peer-benchmark-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = os.environ.get("PEER_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]  # the test client; gunicorn under load

# Parsed as the app parses DATABASE_URL (config/settings.py), with the same package.
DATABASES = {"default": dj_database_url.parse(os.environ.get(
    "PEER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_bench"))}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "django_cleanup.apps.CleanupConfig",
    "helpdesk",
]
HELPDESK_TEAMS_MODE_ENABLED = False

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "benchmarks.helpdesk_peer.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.debug",
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

SITE_ID = 1
LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:home"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
