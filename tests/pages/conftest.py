"""Fixtures of the pages' tests."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def reader(supervisor) -> Client:
    """The supervisor, logged in: the reader of the reports."""
    client = Client()
    client.force_login(supervisor)
    return client
