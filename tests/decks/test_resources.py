"""Data folders are found in a checkout and in an installed wheel's game/_data."""

from __future__ import annotations

from pathlib import Path

import pytest

from game import resources


def test_a_checkout_finds_the_top_level_folders() -> None:
    root = Path(resources.__file__).resolve().parent.parent
    assert resources.decks_dir() == root / "decks"
    assert resources.assets_dir() == root / "assets"
    assert resources.asset("theme.json").is_file()


def test_an_installed_copy_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "game"
    (package / "_data" / "decks").mkdir(parents=True)
    (tmp_path / "site-packages" / "decks").mkdir()  # someone else's folder
    monkeypatch.setattr(resources, "PACKAGE", package)
    assert resources.decks_dir() == package / "_data" / "decks"


def test_a_missing_folder_names_where_it_looked(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "PACKAGE", tmp_path / "game")
    with pytest.raises(FileNotFoundError, match="Reinstall"):
        resources.assets_dir()
    with pytest.raises(ValueError):
        resources.data_dir("secrets")
