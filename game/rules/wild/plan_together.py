"""The table plans one small shared experience and may save it to the recap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..actions import Action, EndTurn, SavePlan
from ..events import Event, event
from ..flow import require
from ..state import State, evolve
from .base import CardKind


@dataclass(frozen=True, slots=True)
class PlanState:
    saved: bool = False


class PlanTogether(CardKind):
    name = "plan_together"
    standard = False
    instructions = (
        "Plan one small thing to do together. Anyone can save the plan to "
        "tonight's recap."
    )
    actions = frozenset({SavePlan, EndTurn})
    bulbs = ()

    def start(self, state: State, drawer: int) -> PlanState:
        return PlanState()

    def apply(self, state: State, seat: int, action: Action) -> tuple[State, list[Event]]:
        turn = state.turn
        assert turn is not None and isinstance(action, SavePlan)
        act: PlanState = turn.activity
        require(not act.saved, "plan/already_saved", "This card's plan is already saved.")
        require(bool(action.text.strip()), "plan/empty", "Write the plan in a few words first.")
        state = evolve(state, turn=evolve(turn, activity=evolve(act, saved=True)),
                        plans=state.plans + (action.text.strip(),))
        return state, [event("plan_saved")]

    def candidates(self, state: State, seat: int) -> list[Action]:
        return [SavePlan(text="\u2026"), EndTurn()]

    def view(self, state: State, seat: int) -> dict[str, Any]:
        return {"saved": state.turn.activity.saved}  # type: ignore[union-attr]

    def started(self, state: State) -> bool:
        return bool(state.turn.activity.saved)  # type: ignore[union-attr]
