"""What the integration tests share: files kept in a folder of the test's own, and a case to work."""

from __future__ import annotations

import pytest

from cases.models import Case
from tests.factories import open_case
from tests.integrations.payload_scene import once, scene, secret_shop  # noqa: F401  (the payload properties)
from tests.integrations.shop_receiver import (  # noqa: F401  (the shop's system, for every test here)
    closed_port_url,
    no_worker,
    receiver,
    worker,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Attachments and evidence packs go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def case(shop, agent) -> Case:
    return open_case(shop, by=agent)
