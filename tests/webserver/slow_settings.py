"""The test settings with a URL map that has slow views: for a real gunicorn's timeout."""

from config.test_settings import *  # noqa: F403

ROOT_URLCONF = "tests.webserver.slow_urls"
