"""Each seat, in order from the drawer, guesses another seat's love language;
the guessed seat says if it fits, and a fitting guess lights ``seen``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..actions import LOVE_LANGUAGES, Action, ConfirmGuess, EndTurn, GuessLoveLanguage
from ..events import Event, event
from ..flow import light, require
from ..state import State, evolve
from .base import CardKind
from .standard import seats_from


@dataclass(frozen=True, slots=True)
class Guess:
    by: int
    target: int
    language: str
    fits: bool | None = None


@dataclass(frozen=True, slots=True)
class LoveState:
    order: tuple[int, ...]
    index: int = 0
    guesses: tuple[Guess, ...] = ()

    @property
    def guesser(self) -> int | None:
        return self.order[self.index] if self.index < len(self.order) else None

    @property
    def pending(self) -> Guess | None:
        if self.guesses and self.guesses[-1].fits is None:
            return self.guesses[-1]
        return None


class LoveLanguages(CardKind):
    name = "love_languages"
    standard = False
    instructions = (
        "Each of you guesses how someone here most feels loved: words, time, gifts, "
        "help, or touch. They say if it fits."
    )
    actions = frozenset({GuessLoveLanguage, ConfirmGuess, EndTurn})
    bulbs = ("seen",)

    def start(self, state: State, drawer: int) -> LoveState:
        return LoveState(order=seats_from(state, drawer))

    def apply(self, state: State, seat: int, action: Action) -> tuple[State, list[Event]]:
        turn = state.turn
        assert turn is not None
        act: LoveState = turn.activity
        if isinstance(action, GuessLoveLanguage):
            require(act.pending is None, "love/waiting",
                    "Wait until the last guess has been answered.")
            require(seat == act.guesser, "love/not_your_guess", "It is someone else's guess now.")
            require(0 <= action.target < len(state.seats) and action.target != seat
                    and not state.seats[action.target].left, "love/bad_seat",
                    "Guess for another person who is still at the table.")
            require(action.language in LOVE_LANGUAGES, "love/bad_language",
                    "Pick one of: " + ", ".join(LOVE_LANGUAGES) + ".")
            guess = Guess(by=seat, target=action.target, language=action.language)
            act = evolve(act, guesses=act.guesses + (guess,))
            state = evolve(state, turn=evolve(turn, activity=act))
            return state, [event("love_guessed", by=seat, target=action.target,
                                 language=action.language)]
        if isinstance(action, ConfirmGuess):
            pending = act.pending
            require(pending is not None and pending.target == seat, "love/not_yours",
                    "There is no guess about you waiting for an answer.")
            assert pending is not None
            guesses = act.guesses[:-1] + (evolve(pending, fits=action.fits),)
            act = evolve(act, guesses=guesses, index=act.index + 1)
            while act.guesser is not None and state.seats[act.guesser].left:
                act = evolve(act, index=act.index + 1)
            state = evolve(state, turn=evolve(turn, activity=act))
            events = [event("love_answered", by=pending.by, fits=action.fits)]
            if action.fits:
                state, lit = light(state, to=pending.by, by=seat, reason="seen")
                events += lit
            return state, events
        raise AssertionError(action)

    def candidates(self, state: State, seat: int) -> list[Action]:
        out: list[Action] = [GuessLoveLanguage(target=t, language=lang)
                             for t in state.active for lang in LOVE_LANGUAGES[:2]]
        out += [ConfirmGuess(fits=True), ConfirmGuess(fits=False), EndTurn()]
        return out

    def view(self, state: State, seat: int) -> dict[str, Any]:
        act: LoveState = state.turn.activity  # type: ignore[union-attr]
        return {
            "guesser": act.guesser,
            "languages": list(LOVE_LANGUAGES),
            "guesses": [{"by": g.by, "target": g.target, "language": g.language,
                         "fits": g.fits} for g in act.guesses],
        }

    def involved(self, state: State) -> frozenset[int]:
        pending = state.turn.activity.pending  # type: ignore[union-attr]
        return frozenset() if pending is None else frozenset({pending.by, pending.target})

    def started(self, state: State) -> bool:
        return bool(state.turn.activity.guesses)  # type: ignore[union-attr]
