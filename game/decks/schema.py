"""The deck file format in one place: keys, types, limits and the words behind the warnings.

``docs/decks.md`` explains the same things for authors; keep the two in step.
"""

from __future__ import annotations

import re

from game.rules.deck import KNOWN_TAGS, QUESTION
from game.rules.engine import MAX_SEATS, MIN_SEATS
from game.rules.wild import WILD_KINDS

SCHEMA_VERSION = 1

#: every kind a card may have: a plain question or one of the wild kinds
KINDS: tuple[str, ...] = (QUESTION, *WILD_KINDS)
#: kinds that are answered and listened to like a question, so need follow-ups
NEEDS_FOLLOW_UPS = frozenset({QUESTION, "everyone_answers", "good_news"})
#: kinds whose text is itself a question (checked for yes/no wording)
ASKS_A_QUESTION = frozenset({QUESTION, "everyone_answers"})

TAGS: tuple[str, ...] = KNOWN_TAGS
SEATS = (MIN_SEATS, MAX_SEATS)

# key -> (python type, required)
DECK_KEYS: dict[str, tuple[type, bool]] = {
    "schema_version": (int, True),
    "id": (str, True),
    "name": (str, True),
    "language": (str, True),
    "description": (str, True),
    "audience": (str, True),
    "min_seats": (int, True),
    "max_seats": (int, True),
    "tiers": (list, True),
    "cards": (list, True),
}
TIER_KEYS: dict[str, tuple[type, bool]] = {
    "id": (str, True),
    "name": (str, True),
    "description": (str, True),
    "unlock_per_player": (int, True),
}
CARD_KEYS: dict[str, tuple[type, bool]] = {
    "id": (str, True),
    "tier": (str, True),
    "kind": (str, True),
    "text": (str, True),
    "follow_ups": (list, False),
    "tags": (list, False),
    "note": (str, False),
}

# text limits, in characters
LIMITS: dict[str, int] = {
    "deck.name": 40,
    "deck.description": 200,
    "deck.audience": 200,
    "tier.name": 40,
    "tier.description": 120,
    "card.text": 240,
    "card.follow_up": 160,
    "card.note": 200,
    "id": 64,
}
FOLLOW_UPS = (2, 4)  # a card that needs follow-ups has 2..4; any card at most 4
MIN_TIERS = 2
#: a tier with fewer cards than this runs dry in a long game (warning)
MIN_TIER_CARDS = 20

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")

#: a question starting with one of these and containing none of OPEN_WORDS reads as yes/no
YES_NO_STARTS = frozenset(
    "do does did are is was were have has can could would will".split())
OPEN_WORDS = frozenset("what how why when who which tell".split())

_WORD = re.compile(r"[a-z']+")
_FIRST_WORD = re.compile(r"[^A-Za-z']*([A-Za-z']+)")
_PUNCTUATION = re.compile(r"[^\w\s]")


def reads_as_yes_no(text: str) -> bool:
    first = _FIRST_WORD.match(text)
    if first is None or first.group(1).lower() not in YES_NO_STARTS:
        return False  # the common case, decided without splitting the whole text
    return not OPEN_WORDS.intersection(_WORD.findall(text.lower()))


def normalise(text: str) -> str:
    """Text for spotting duplicates: lower case, no punctuation, single spaces."""
    return " ".join(_PUNCTUATION.sub("", text.lower()).split())


def type_name(value: object) -> str:
    """How a TOML author would name the type of ``value``."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def wanted_name(kind: type) -> str:
    return {int: "a whole number", str: "text in double quotes", list: "a list [ ... ]",
            dict: "a table"}[kind]
