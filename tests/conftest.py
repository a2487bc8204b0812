"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from loopback import LoopbackServer


@pytest.fixture(scope="session")
def _loopback_session() -> Iterator[LoopbackServer]:
    """One loopback OpenAI-compatible server for the whole session."""
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def loopback(_loopback_session: LoopbackServer) -> Iterator[LoopbackServer]:
    """The loopback server (see tests/loopback.py), reset before and after each test."""
    _loopback_session.reset()
    yield _loopback_session
    _loopback_session.reset()
