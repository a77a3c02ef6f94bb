"""The speaker tells a chosen seat one specific thing they appreciate about
them; the chosen seat may light a ``seen`` bulb for the speaker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..actions import Action, ChooseSeat, EndTurn, LightBulb
from ..events import Event, event
from ..flow import light, require
from ..state import State, evolve
from .base import CardKind


@dataclass(frozen=True, slots=True)
class GratitudeState:
    chosen: int | None = None
    seen: bool = False


class Gratitude(CardKind):
    name = "gratitude"
    standard = False
    instructions = (
        "Choose someone and tell them one specific thing you appreciate about them. "
        "If it landed, they may light a 'seen' bulb for you."
    )
    actions = frozenset({ChooseSeat, LightBulb, EndTurn})
    bulbs = ("seen",)

    def start(self, state: State, drawer: int) -> GratitudeState:
        return GratitudeState()

    def apply(self, state: State, seat: int, action: Action) -> tuple[State, list[Event]]:
        turn = state.turn
        assert turn is not None
        act: GratitudeState = turn.activity
        drawer = turn.drawer
        if isinstance(action, ChooseSeat):
            require(seat == drawer, "gratitude/not_speaker", "Only the speaker chooses here.")
            require(act.chosen is None, "gratitude/already_chosen", "Someone is already chosen.")
            target = action.seat
            require(0 <= target < len(state.seats) and target != drawer
                    and not state.seats[target].left, "gratitude/bad_seat",
                    "Choose another person who is still at the table.")
            state = evolve(state, turn=evolve(turn, activity=evolve(act, chosen=target)))
            return state, [event("seat_chosen", seat=target)]
        if isinstance(action, LightBulb):
            require(act.chosen == seat, "bulb/not_yours",
                    "Only the person who was appreciated can light this bulb.")
            require(action.reason == "seen" and action.to == drawer, "bulb/bad_reason",
                    "Here the bulb is 'seen', lit for the speaker.")
            require(not act.seen, "bulb/limit", "The 'seen' bulb for this card is already lit.")
            state = evolve(state, turn=evolve(turn, activity=evolve(act, seen=True)))
            return light(state, to=drawer, by=seat, reason="seen")
        raise AssertionError(action)

    def candidates(self, state: State, seat: int) -> list[Action]:
        drawer = state.turn.drawer  # type: ignore[union-attr]
        out: list[Action] = [ChooseSeat(seat=s) for s in state.active]
        out += [LightBulb(to=drawer, reason="seen"), EndTurn()]
        return out

    def view(self, state: State, seat: int) -> dict[str, Any]:
        act: GratitudeState = state.turn.activity  # type: ignore[union-attr]
        return {"chosen": act.chosen, "seen": act.seen}

    def involved(self, state: State) -> frozenset[int]:
        act: GratitudeState = state.turn.activity  # type: ignore[union-attr]
        return frozenset() if act.chosen is None else frozenset({act.chosen})

    def started(self, state: State) -> bool:
        return state.turn.activity.chosen is not None  # type: ignore[union-attr]
