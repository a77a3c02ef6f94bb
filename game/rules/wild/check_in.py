"""Everyone says how the conversation feels so far; when the turn ends a
fresh ready check opens if a deeper tier is within reach (ease back is, as
always, open to anyone at any time)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..actions import Action, EndTurn, ShareFeeling
from ..events import Event, event
from ..flow import require
from ..state import State, evolve
from .base import CardKind


@dataclass(frozen=True, slots=True)
class CheckInState:
    shared: frozenset[int] = frozenset()


class CheckIn(CardKind):
    name = "check_in"
    standard = False
    instructions = (
        "Each of you says how tonight feels so far. Going deeper, staying, or easing "
        "back are all fine answers."
    )
    actions = frozenset({ShareFeeling, EndTurn})
    bulbs = ()

    def start(self, state: State, drawer: int) -> CheckInState:
        return CheckInState()

    def apply(self, state: State, seat: int, action: Action) -> tuple[State, list[Event]]:
        turn = state.turn
        assert turn is not None and isinstance(action, ShareFeeling)
        act: CheckInState = turn.activity
        require(seat not in act.shared, "check_in/already", "You have already checked in.")
        act = evolve(act, shared=act.shared | {seat})
        # the fresh check: due at the end of this turn, whatever the cooldown
        state = evolve(state, turn=evolve(turn, activity=act), check_requested=True)
        return state, [event("checked_in", seat=seat)]

    def candidates(self, state: State, seat: int) -> list[Action]:
        return [ShareFeeling(), EndTurn()]

    def view(self, state: State, seat: int) -> dict[str, Any]:
        act: CheckInState = state.turn.activity  # type: ignore[union-attr]
        return {"shared": sorted(act.shared)}

    def started(self, state: State) -> bool:
        return bool(state.turn.activity.shared)  # type: ignore[union-attr]
