"""Fixtures for the reliability tests (helpers are in tests/reliakit.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from reliakit import reliability_config

from server.app import ServerHandle, run_in_thread


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerHandle]:
    handle = run_in_thread(db_path=tmp_path / "rooms.db", config=reliability_config())
    yield handle
    handle.stop()
