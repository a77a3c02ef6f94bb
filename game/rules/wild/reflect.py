"""The seat to the speaker's left reflects back the previous answer; the one
who gave that answer confirms, and a fitting reflection lights a bulb."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..actions import Action, ConfirmReflection, EndTurn, Reflect
from ..events import Event, event
from ..flow import light, require
from ..state import Answer, Reflection, State, evolve
from .base import CardKind


@dataclass(frozen=True, slots=True)
class ReflectState:
    previous: Answer
    reflector: int
    reflection: Reflection | None = None
    confirmed: bool = False


def _previous(state: State) -> Answer | None:
    for answer in reversed(state.answered):
        if not state.seats[answer.seat].left:
            return answer
    return None


def _reflector(state: State, drawer: int, previous: Answer) -> int:
    """The first seat to the drawer's left who did not give that answer; with
    two seats that is the drawer themself."""
    seat = drawer
    for _ in range(len(state.seats)):
        seat = state.next_seat(seat)
        if seat != previous.seat:
            return seat
    return drawer


class ReflectKind(CardKind):
    name = "reflect"
    standard = False
    instructions = (
        "The person named reflects back the last answer in their own words; "
        "whoever gave it says if that's it."
    )
    actions = frozenset({Reflect, ConfirmReflection, EndTurn})
    bulbs = ("reflection",)

    def playable(self, state: State, drawer: int) -> bool:
        return _previous(state) is not None

    def start(self, state: State, drawer: int) -> ReflectState:
        previous = _previous(state)
        assert previous is not None
        return ReflectState(previous=previous, reflector=_reflector(state, drawer, previous))

    def apply(self, state: State, seat: int, action: Action) -> tuple[State, list[Event]]:
        turn = state.turn
        assert turn is not None
        act: ReflectState = turn.activity
        if isinstance(action, Reflect):
            require(seat == act.reflector, "reflect/not_reflector",
                    "This card asks someone else to reflect back.")
            require(not act.confirmed, "reflect/done", "That reflection has already landed.")
            pending = act.reflection is not None and act.reflection.confirmed is None
            require(not pending, "reflect/pending",
                    "Wait for the answer to your reflection before trying again.")
            act = evolve(act, reflection=Reflection(by=seat, text=action.text))
            events = [event("reflected", by=seat)]
        elif isinstance(action, ConfirmReflection):
            require(seat == act.previous.seat, "reflect/not_yours",
                    "Only the person who gave that answer can confirm the reflection.")
            pending = act.reflection is not None and act.reflection.confirmed is None
            require(pending and action.by == act.reflector, "reflect/nothing_to_confirm",
                    "There is no reflection waiting for your answer.")
            assert act.reflection is not None
            act = evolve(act, reflection=evolve(act.reflection, confirmed=action.fits),
                          confirmed=action.fits)
            events = [event("reflection_answered", by=act.reflector, fits=action.fits)]
            if action.fits:
                state = evolve(state, turn=evolve(turn, activity=act))
                state, lit = light(state, to=act.reflector, by=seat, reason="reflection")
                return state, events + lit
        else:
            raise AssertionError(action)
        return evolve(state, turn=evolve(turn, activity=act)), events

    def candidates(self, state: State, seat: int) -> list[Action]:
        act: ReflectState = state.turn.activity  # type: ignore[union-attr]
        return [Reflect(text="\u2026"), ConfirmReflection(by=act.reflector, fits=True),
                ConfirmReflection(by=act.reflector, fits=False), EndTurn()]

    def view(self, state: State, seat: int) -> dict[str, Any]:
        act: ReflectState = state.turn.activity  # type: ignore[union-attr]
        r = act.reflection
        return {
            "reflector": act.reflector,
            "previous_speaker": act.previous.seat,
            "previous_card": state.deck.card(act.previous.card).text,
            "reflection": None if r is None else {"by": r.by, "text": r.text,
                                                  "confirmed": r.confirmed},
            "done": act.confirmed,
        }

    def involved(self, state: State) -> frozenset[int]:
        act: ReflectState = state.turn.activity  # type: ignore[union-attr]
        return frozenset({act.reflector, act.previous.seat})

    def started(self, state: State) -> bool:
        act: ReflectState = state.turn.activity  # type: ignore[union-attr]
        return act.reflection is not None
