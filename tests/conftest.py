"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from loopback import LoopbackServer

if TYPE_CHECKING:
    from differential import Backends


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


@pytest.fixture(scope="session")
def harness() -> Backends:
    """The differential harness's servers and runners (tests/differential.py), started once."""
    from differential import default_backends

    return default_backends()
