"""Personas (hc/test.py style): an agent, a teammate, a supervisor, an outsider and an admin."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.factories import ShopFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits_clocks_and_language():
    """Rate-limit counters live in the cache and deadline clocks in memory: each test starts with
    none. A request in Chinese leaves Chinese active in the thread: each test starts in English,
    whatever ran before."""
    from django.core.cache import cache
    from django.utils import translation

    from cases.deadlines import forget_clocks

    cache.clear()
    forget_clocks()
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def shop(db):
    return ShopFactory(code="demo", name="Demo shop")


@pytest.fixture
def other_shop(db):
    return ShopFactory(code="elsewhere", name="Another shop")


@pytest.fixture
def agent(shop) -> User:
    return UserFactory(username="agent1", role="agent", shops=[shop])


@pytest.fixture
def teammate(shop) -> User:
    return UserFactory(username="agent2", role="agent", shops=[shop])


@pytest.fixture
def supervisor(shop) -> User:
    return UserFactory(username="supervisor1", role="supervisor", shops=[shop], is_staff=True)


@pytest.fixture
def outsider(other_shop) -> User:
    return UserFactory(username="outsider", role="agent", shops=[other_shop])


@pytest.fixture
def admin(db) -> User:
    return User.objects.create_superuser("admin", password="demo")


@pytest.fixture
def before(db):
    """Call it once the scene is set: returns a check that nothing changed since (tests/snapshots.py)."""
    from tests.snapshots import snapshot

    def take():
        taken = snapshot()
        return lambda: snapshot() == taken

    return take


@pytest.fixture
def api():
    """api(user) → an API client logged in as that user (None: anonymous)."""

    def client_for(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def no_cached_matrices():
    """The assistant keeps each shop's matrix of resolved cases in memory, keyed by the shop's id
    (cases/assistant/similar.py): a test of similar cases starts and ends with none, so a shop of
    another test with the same id is never read from the cache."""
    from cases.assistant.similar import forget_matrices

    forget_matrices()
    yield
    forget_matrices()


# --- real services: PostgreSQL and Redis ---------------------------------------------------------
# With REQUIRE_SERVICES=1 (CI's second run) a test that needs PostgreSQL or Redis fails instead of
# being skipped, and the run stops at once if either is missing, so CI cannot pass without them.

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def pytest_sessionstart(session: pytest.Session) -> None:
    if not REQUIRE_SERVICES:
        return
    from django.conf import settings

    problems = []
    if _vendor() != "postgresql":
        problems.append("DATABASE_URL does not point at PostgreSQL")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        problems.append("REDIS_URL / CELERY_BROKER_URL does not point at Redis")
    if problems:
        pytest.exit("REQUIRE_SERVICES=1 but " + " and ".join(problems), returncode=3)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and _vendor() != "postgresql":
        reason = "needs PostgreSQL (set DATABASE_URL=postgres://…); SQLite has no row locks"
        if REQUIRE_SERVICES:
            pytest.fail(reason)
        pytest.skip(reason)
