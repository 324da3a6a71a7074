"""The demo is seeded once per module for the tests that only look at it (`seeded`): seeding takes
seconds, and a dozen tests read the same demo. It stays in a transaction rolled back after the
module; each test's own changes roll back to a savepoint before the next. The tests that seed for
themselves run first in their module, before the shared seeding exists."""

from __future__ import annotations

import pytest
from django.db import transaction


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Only the demo's tests move, among their own places (the rest keep the order pytest-django
    # gave them: tests in a transaction before those that empty the tables): within each demo
    # module, the tests without `seeded` first.
    places = [n for n, item in enumerate(items) if item.path.parent.name == "demo"]
    first: dict = {}
    for n in places:
        first.setdefault(items[n].path, n)
    ordered = sorted((items[n] for n in places), key=lambda item: (
        first[item.path], "seeded" in getattr(item, "fixturenames", ())))
    for n, item in zip(places, ordered, strict=True):
        items[n] = item


@pytest.fixture(scope="module")
def seeded_once(request, django_db_setup, django_db_blocker):
    """What the module's `seed()` printed, seeded once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        printed = request.module.seed()
        yield printed
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once
