"""The engine's deck model: tiers, question cards and wild cards.

Decks arrive here already parsed and validated (``game.decks`` reads TOML
and reports problems with file and line); the engine only needs these plain
values. Tiers are ordered from lightest to deepest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

QUESTION = "question"

#: Content tags a table can leave out at setup.
KNOWN_TAGS = ("family", "loss", "body", "money", "past-love", "intimacy", "faith", "health")


@dataclass(frozen=True, slots=True)
class Tier:
    id: str
    name: str
    description: str = ""
    #: bulbs per seat the lamp must hold before this tier may be proposed
    unlock_per_player: int = 0


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    tier: str
    text: str
    kind: str = QUESTION
    follow_ups: tuple[str, ...] = ()
    tags: frozenset[str] = frozenset()
    note: str = ""

    @property
    def is_wild(self) -> bool:
        return self.kind != QUESTION


@dataclass(frozen=True, slots=True)
class Deck:
    id: str
    name: str
    tiers: tuple[Tier, ...]
    cards: tuple[Card, ...]
    description: str = ""
    audience: str = ""
    language: str = "en"
    min_seats: int = 2
    max_seats: int = 8
    _by_id: dict[str, Card] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update((card.id, card) for card in self.cards)

    def card(self, card_id: str) -> Card:
        return self._by_id[card_id]

    def tier_index(self, tier_id: str) -> int:
        for index, tier in enumerate(self.tiers):
            if tier.id == tier_id:
                return index
        raise KeyError(tier_id)
