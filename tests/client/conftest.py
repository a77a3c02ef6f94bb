"""Headless pygame for every client test, and settings in a temporary folder."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_PICTURES_DIR", str(tmp_path / "pictures"))
    yield tmp_path


@pytest.fixture
def app() -> Iterator[object]:
    import pygame

    from game.client.app import App

    application = App((1280, 720), fake_clock=True, sound=False)
    yield application
    pygame.quit()
