"""A browser for the pages' tests: Django's test client, logged in as the user given."""

from __future__ import annotations

from django.test import Client


def browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
