"""Kinds that run through the ordinary turn: answer, respond, acknowledge."""

from __future__ import annotations

from ..state import State
from .base import CardKind


def seats_from(state: State, drawer: int) -> tuple[int, ...]:
    """Every seat still in the game, in seat order, starting with ``drawer``."""
    order = [drawer]
    seat = state.next_seat(drawer)
    while seat != drawer:
        order.append(seat)
        seat = state.next_seat(seat)
    return tuple(order)


class Question(CardKind):
    name = "question"
    instructions = "Answer the question; the others listen, then ask and reflect."

    def answerers(self, state: State, drawer: int) -> tuple[int, ...]:
        if state.settings.everyone_answers_on:
            return seats_from(state, drawer)
        return (drawer,)
