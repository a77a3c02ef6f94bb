"""Fixtures for the deck tests: a place to write deck files, and a private user data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def write_deck(tmp_path: Path) -> Callable[..., Path]:
    """Write a deck source to a file in tmp_path and return its path."""

    def write(source: str, name: str = "tiny.toml") -> Path:
        path = tmp_path / name
        path.write_text(source, encoding="utf-8")
        return path

    return write


@pytest.fixture
def user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user data folder at tmp_path; return the custom decks folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "data" / "heartlight" / "decks"
    from game.decks import user_decks_dir

    if user_decks_dir() != folder:  # platforms that ignore XDG_DATA_HOME
        monkeypatch.setattr("game.decks.library.user_decks_dir", lambda: folder)
    folder.mkdir(parents=True)
    return folder
