"""Deck files: the validator, the loader and the library of bundled and custom decks.

    >>> from game.decks import get_deck, list_decks
    >>> deck = get_deck("couples")                      # doctest: +SKIP
    >>> [info.id for info in list_decks()]              # doctest: +SKIP

``check_file(path)`` returns ``(deck or None, problems)``; ``load_deck(path)``
returns the deck or raises ``DeckError`` listing every problem. The file
format is described in ``schema`` (for code) and ``docs/decks.md`` (for
authors).
"""

from .check import CheckResult, check_bytes, check_file, check_path, load_deck
from .library import (
    DeckInfo,
    bundled_decks_dir,
    deck_problems,
    get_deck,
    list_decks,
    user_decks_dir,
)
from .problems import DeckError, DeckNotFound, Problem

__all__ = [
    "CheckResult",
    "DeckError",
    "DeckInfo",
    "DeckNotFound",
    "Problem",
    "bundled_decks_dir",
    "check_bytes",
    "check_file",
    "check_path",
    "deck_problems",
    "get_deck",
    "list_decks",
    "load_deck",
    "user_decks_dir",
]
