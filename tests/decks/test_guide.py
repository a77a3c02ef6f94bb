"""The authoring guide stays true: its example deck passes, and it names every kind and tag."""

from __future__ import annotations

import re
from pathlib import Path

from game.decks import check_file, schema

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "decks.md"


def test_the_example_deck_in_the_guide_passes_the_checker(tmp_path: Path) -> None:
    example = re.search(r"```toml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert example is not None
    path = tmp_path / "kitchen-table.toml"
    path.write_text(example.group(1), encoding="utf-8")
    deck, problems = check_file(path)
    assert deck is not None and deck.id == "kitchen-table"
    # a page-sized example is short of cards for a long game, and nothing else
    assert {p.code for p in problems} == {"tier/too-few-cards"}


def test_the_guide_names_every_kind_tag_and_limit() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for name in (*schema.KINDS, *schema.TAGS, *schema.DECK_KEYS, *schema.TIER_KEYS,
                 *schema.CARD_KEYS):
        assert f"`{name}`" in guide or f"`[[{name}]]`" in guide, name
    for limit in schema.LIMITS.values():
        if limit != schema.LIMITS["id"]:
            assert f"{limit} characters" in guide, limit
    assert f"{schema.MIN_TIER_CARDS} cards" in guide
