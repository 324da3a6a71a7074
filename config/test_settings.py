"""Settings for the test suite: the real settings, in development mode, with a fast hasher."""

import os

os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The lexical representation: the model's answers are tested where they matter
# (tests/cases/test_real_model.py); everywhere else a fast, fixed stand-in.
TEXT_REPRESENTATION = "lexical"
