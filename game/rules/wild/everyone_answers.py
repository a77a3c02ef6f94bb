"""Every seat answers the card in seat order, starting with the drawer; each
answer is a small turn with its own respond and acknowledge."""

from __future__ import annotations

from ..state import State
from .base import CardKind
from .standard import seats_from


class EveryoneAnswers(CardKind):
    name = "everyone_answers"
    instructions = (
        "Everyone answers this one, in turn, starting with whoever drew it. "
        "Each answer gets its own follow-ups and bulbs."
    )

    def answerers(self, state: State, drawer: int) -> tuple[int, ...]:
        return seats_from(state, drawer)
