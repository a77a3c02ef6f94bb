"""The four decks that ship with the game load cleanly and are big enough to play long."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.decks import bundled_decks_dir, check_file
from game.rules import WILD_KINDS

BUNDLED = sorted(bundled_decks_dir().glob("*.toml"))


def test_the_four_bundled_decks_are_there() -> None:
    assert {path.stem for path in BUNDLED} == {"couples", "friends", "long-distance",
                                               "first-meetings"}


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.stem)
def test_a_bundled_deck_loads_with_no_errors_and_no_warnings(path: Path) -> None:
    deck, problems = check_file(path)
    assert [str(p) for p in problems] == []
    assert deck is not None
    assert deck.id == path.stem
    assert len(deck.cards) >= 150
    assert len(deck.tiers) == 3
    assert {card.kind for card in deck.cards} >= set(WILD_KINDS)
