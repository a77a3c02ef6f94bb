"""What a kind of card must provide to the engine.

Two shapes exist. A *standard* kind (a plain question, everyone answers,
good news) runs through the answer → respond → acknowledge phases and only
says who answers. An *activity* kind runs in the ACTIVITY phase with its own
small state and its own actions; the drawer may always end it with EndTurn.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..actions import Action, EndTurn
from ..events import Event
from ..state import State


class CardKind:
    """A kind of card. Subclasses override what differs."""

    name: ClassVar[str] = ""
    #: one sentence for the table: what happens with this card
    instructions: ClassVar[str] = ""
    #: True: uses answer/respond/acknowledge; False: an ACTIVITY with ``actions``
    standard: ClassVar[bool] = True
    #: the activity's own actions (EndTurn by the drawer is always allowed)
    actions: ClassVar[frozenset[type[Action]]] = frozenset()
    #: bulb reasons this kind can light
    bulbs: ClassVar[tuple[str, ...]] = ("heard", "follow_up", "reflection")

    # standard kinds ---------------------------------------------------------
    def answerers(self, state: State, drawer: int) -> tuple[int, ...]:
        return (drawer,)

    # every kind -------------------------------------------------------------
    def playable(self, state: State, drawer: int) -> bool:
        """Whether this card can be played now (e.g. needs an earlier answer)."""
        return True

    # activity kinds ---------------------------------------------------------
    def start(self, state: State, drawer: int) -> Any:
        """The activity's initial state when its card is drawn."""
        return None

    def apply(self, state: State, seat: int, action: Action) -> tuple[State, list[Event]]:
        raise NotImplementedError

    def candidates(self, state: State, seat: int) -> list[Action]:
        """Actions worth trying for ``seat`` (``legal_actions`` filters them)."""
        return [EndTurn()]

    def view(self, state: State, seat: int) -> dict[str, Any]:
        """The activity's public state as plain values."""
        return {}

    def involved(self, state: State) -> frozenset[int]:
        """Seats the activity cannot go on without (it ends if one leaves)."""
        return frozenset()

    def started(self, state: State) -> bool:
        """Once started, the card can no longer be passed or vetoed."""
        return False
