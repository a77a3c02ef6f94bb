"""The game state: immutable values, replaced (never changed) by ``apply``.

Only what cannot be derived is stored. Whose turn it is, which tiers are
open, how many bulbs are lit: all follow from these fields (see the
properties below).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from enum import StrEnum
from functools import cached_property
from typing import Any, TypeVar

from .deck import Card, Deck


class Phase(StrEnum):
    DRAW = "draw"
    ANSWER = "answer"
    RESPOND = "respond"
    ACKNOWLEDGE = "acknowledge"
    ACTIVITY = "activity"
    READY_CHECK = "ready_check"
    CLOSING = "closing"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Settings:
    """How a table chose to play. ``everyone_answers=None`` means the default:
    on for two seats, off for more."""

    names: tuple[str, ...]
    everyone_answers: bool | None = None
    excluded_tags: frozenset[str] = frozenset()
    excluded_cards: frozenset[str] = frozenset()
    text_mode: bool = False

    @property
    def everyone_answers_on(self) -> bool:
        if self.everyone_answers is None:
            return len(self.names) == 2
        return self.everyone_answers


@dataclass(frozen=True, slots=True)
class Seat:
    name: str
    left: bool = False
    away: bool = False


@dataclass(frozen=True, slots=True)
class Bulb:
    to: int
    by: int
    reason: str
    card: str
    turn: int


@dataclass(frozen=True, slots=True)
class Answer:
    """A card answered by a seat this session (for dig deeper and the recap)."""

    card: str
    tier: int
    seat: int
    turn: int


@dataclass(frozen=True, slots=True)
class FollowUp:
    by: int
    text: str
    suggestion: int | None
    aloud: bool = False


@dataclass(frozen=True, slots=True)
class Reflection:
    by: int
    text: str
    confirmed: bool | None = None  # None: not yet answered


@dataclass(frozen=True)
class Turn:
    """One card on the table, from its draw to the end of the turn."""

    drawer: int
    card: Card
    tier: int
    #: seats answering in order (one, or every seat under everyone-answers)
    answerers: tuple[int, ...]
    index: int = 0
    answer_text: str = ""
    answered: bool = False
    follow_ups: tuple[FollowUp, ...] = ()
    reflections: tuple[Reflection, ...] = ()
    nothing_to_add: frozenset[int] = frozenset()
    #: kind-specific state of a wild activity (see game.rules.wild)
    activity: Any = None

    @property
    def speaker(self) -> int:
        return self.answerers[self.index]


@dataclass(frozen=True, slots=True)
class ReadyCheck:
    tier: int
    votes: tuple[tuple[int, bool], ...] = ()

    def vote_of(self, seat: int) -> bool | None:
        for who, ready in self.votes:
            if who == seat:
                return ready
        return None


@dataclass(frozen=True, slots=True)
class Note:
    by: int
    to: int
    text: str
    sealed: bool


@dataclass(frozen=True, slots=True)
class Closing:
    order: tuple[int, ...]
    index: int = 0
    notes: tuple[Note, ...] = ()

    @property
    def closer(self) -> int | None:
        return self.order[self.index] if self.index < len(self.order) else None


@dataclass(frozen=True)
class State:
    deck: Deck
    settings: Settings
    seed: int
    seats: tuple[Seat, ...]
    #: remaining card ids of each tier, top first (never shown to players)
    piles: tuple[tuple[str, ...], ...]
    version: int = 0
    #: version at which the table last moved on (new card, phase, answerer);
    #: an action based on an older version may now mean something else
    epoch: int = 0
    phase: Phase = Phase.DRAW
    open_tiers: int = 1
    bulbs: tuple[Bulb, ...] = ()
    #: seat who draws next (in DRAW), or who drew the card on the table
    drawer: int = 0
    turns_done: int = 0
    turn: Turn | None = None
    ready_check: ReadyCheck | None = None
    #: no automatic ready check before this many turns are done
    check_cooldown: int = 0
    check_requested: bool = False
    paused_by: int | None = None
    last_light: tuple[tuple[int, bool], ...] | None = None
    stars: tuple[tuple[str, int], ...] = ()
    answered: tuple[Answer, ...] = ()
    #: cards whose turn was played to its end, in order (for the recap)
    played: tuple[str, ...] = ()
    plans: tuple[str, ...] = ()
    closing: Closing | None = None
    #: tier indexes unlocked by an all-ready check, in order (for the recap)
    unlocked: tuple[int, ...] = ()

    # -- derived ------------------------------------------------------------

    @property
    def lit(self) -> int:
        return len(self.bulbs)

    @cached_property
    def active(self) -> tuple[int, ...]:
        """Seats still in the game, in seat order (computed once per state)."""
        return tuple(i for i, s in enumerate(self.seats) if not s.left)

    @cached_property
    def speaker(self) -> int | None:
        """Who speaks now: the current answerer, or the seat about to draw."""
        if self.turn is not None:
            return self.turn.speaker
        if self.phase is Phase.DRAW:
            return self.drawer
        return None

    def threshold(self, tier: int) -> int:
        """Bulbs the lamp needs before ``tier`` (an index) may be proposed."""
        return self.deck.tiers[tier].unlock_per_player * len(self.active)

    @property
    def next_tier(self) -> int | None:
        return self.open_tiers if self.open_tiers < len(self.deck.tiers) else None

    @property
    def deeper_reachable(self) -> bool:
        """A deeper tier exists and the lamp is bright enough to propose it."""
        nxt = self.next_tier
        return nxt is not None and self.lit >= self.threshold(nxt)

    def listeners(self, speaker: int) -> tuple[int, ...]:
        return tuple(i for i in self.active if i != speaker)

    def next_seat(self, seat: int) -> int:
        """The next active seat after ``seat`` in seat (clockwise) order."""
        n = len(self.seats)
        for step in range(1, n + 1):
            candidate = (seat + step) % n
            if not self.seats[candidate].left:
                return candidate
        return seat


_FIELD_NAMES: dict[type, frozenset[str]] = {}
#: cached_property values stored in a state's __dict__ (dropped by evolve)
_CACHED = ("active", "speaker")
T = TypeVar("T")


def evolve(obj: T, **changes: Any) -> T:
    """``dataclasses.replace`` for the engine's hot path.

    State and Turn are replaced on every action; copying their ``__dict__``
    is several times faster than ``replace`` (which re-runs ``__init__``).
    Frozen classes with slots fall back to ``replace``.
    """
    cls = type(obj)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(obj))  # type: ignore[arg-type]
    if not changes.keys() <= names:
        raise TypeError(f"{cls.__name__} has no field(s) {sorted(changes.keys() - names)}")
    if not hasattr(obj, "__dict__"):
        return replace(obj, **changes)  # type: ignore[type-var]
    new = object.__new__(cls)
    state = new.__dict__
    state.update(obj.__dict__)
    state.update(changes)
    for name in _CACHED:  # derived values belong to the old state only
        state.pop(name, None)
    return new
