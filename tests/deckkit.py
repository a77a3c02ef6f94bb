"""Small deck files for the deck tests (tests/decks/).

``deck_source(cards=...)`` builds a deck that is clean on its own (two tiers
of twenty filler cards each); a test adds its broken card or edits one line
and checks the problem it reports, and the exact line it points at.
"""

from __future__ import annotations

HEADER = """\
schema_version = 1
id = "tiny"
name = "Tiny"
language = "en"
description = "A small deck for tests."
audience = "People running tests."
min_seats = 2
max_seats = 4
"""

TIERS = """
[[tiers]]
id = "one"
name = "One"
description = "Light things."
unlock_per_player = 0

[[tiers]]
id = "two"
name = "Two"
description = "Deeper things."
unlock_per_player = 3
"""

NOUNS = ("kitchen", "street", "song", "coat", "window", "garden", "letter", "train",
         "teacher", "river", "market", "shoe", "bicycle", "lamp", "holiday", "library",
         "bakery", "storm", "photograph", "chair", "bridge", "harbour")


def filler(tier: str, count: int = 20, *, prefix: str = "f") -> str:
    """``count`` clean question cards for ``tier``, each with its own text."""
    blocks = []
    for number in range(count):
        noun = NOUNS[number % len(NOUNS)]
        blocks.append(
            f'\n[[cards]]\nid = "{prefix}-{tier}-{number:03}"\ntier = "{tier}"\nkind = "question"\n'
            f'text = "What do you remember about the {noun} of your {tier} year number {number}?"\n'
            'follow_ups = ["Who was there with you?", "What would you change about it now?"]\n'
            "tags = []\n")
    return "".join(blocks)


def deck_source(cards: str = "", *, header: str = HEADER, tiers: str = TIERS,
                fill: bool = True) -> str:
    """A whole deck: header, tiers, then ``cards`` (first), then the filler."""
    body = filler("one") + filler("two") if fill else ""
    return header + tiers + cards + body


def line_of(source: str, needle: str) -> int:
    """The 1-based number of the only line containing ``needle``."""
    found = [n for n, line in enumerate(source.splitlines(), start=1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found}"
    return found[0]
