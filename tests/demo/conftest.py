"""The demo is seeded once per module for the tests that only look at it (`seeded`): seeding takes
seconds, and a dozen tests read the same demo. It stays in a transaction rolled back after the
module; each test's own changes roll back to a savepoint before the next. The tests that seed for
themselves run first in their module, before the shared seeding exists."""

from __future__ import annotations

import pytest
from django.db import transaction


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # modules keep their places; within each demo module, the tests without `seeded` first
    first = {}
    for n, item in enumerate(items):
        first.setdefault(item.path, n)
    items.sort(key=lambda item: (first[item.path], item.path.parent.name == "demo"
                                 and "seeded" in getattr(item, "fixturenames", ())))


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
