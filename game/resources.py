"""Where Heartlight's data folders are: ``decks/`` and ``assets/``.

They live at the top of the repository, beside the ``game`` package. A
checkout or an editable install finds them there. A wheel cannot ship
top-level folders, so ``pyproject.toml`` force-includes them as
``game/_data/decks`` and ``game/_data/assets``; an installed game finds them
there. The installed copy is tried first, because in ``site-packages`` the
folder beside ``game`` might belong to some other package.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DATA_FOLDERS = ("decks", "assets")


def data_dir(name: str) -> Path:
    """The folder ``name`` ("decks" or "assets"); raises FileNotFoundError if missing."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"unknown data folder {name!r}; expected one of {DATA_FOLDERS}")
    for candidate in (PACKAGE / "_data" / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"Heartlight's '{name}' folder is missing: looked in {PACKAGE / '_data' / name} "
        f"and {PACKAGE.parent / name}. Reinstall Heartlight.")


def decks_dir() -> Path:
    return data_dir("decks")


def assets_dir() -> Path:
    return data_dir("assets")


def asset(*parts: str) -> Path:
    """A file inside ``assets/``, e.g. ``asset("fonts", "Inter.ttf")``."""
    return assets_dir().joinpath(*parts)
