"""The speaker picks an earlier card answered this session and asks its
answerer a follow-up; that answerer may light a ``follow_up`` bulb."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..actions import Action, AskFollowUp, ChooseAnswer, EndTurn, LightBulb
from ..events import Event, event
from ..flow import light, require
from ..state import State, evolve
from .base import CardKind


@dataclass(frozen=True, slots=True)
class DigState:
    picked: int | None = None
    question: str = ""
    asked: bool = False
    lit: bool = False


def _eligible(state: State, drawer: int, index: int) -> bool:
    answer = state.answered[index]
    return answer.seat != drawer and not state.seats[answer.seat].left


class DigDeeper(CardKind):
    name = "dig_deeper"
    standard = False
    instructions = (
        "Pick a card someone else answered earlier tonight and ask them one more "
        "question about it. If it opened something, they may light a bulb for you."
    )
    actions = frozenset({ChooseAnswer, AskFollowUp, LightBulb, EndTurn})
    bulbs = ("follow_up",)

    def playable(self, state: State, drawer: int) -> bool:
        return any(_eligible(state, drawer, i) for i in range(len(state.answered)))

    def start(self, state: State, drawer: int) -> DigState:
        return DigState()

    def apply(self, state: State, seat: int, action: Action) -> tuple[State, list[Event]]:
        turn = state.turn
        assert turn is not None
        act: DigState = turn.activity
        drawer = turn.drawer
        if isinstance(action, ChooseAnswer):
            require(seat == drawer, "dig/not_speaker", "Only the speaker picks the card.")
            require(act.picked is None, "dig/already_picked", "A card is already picked.")
            require(0 <= action.index < len(state.answered)
                    and _eligible(state, drawer, action.index), "dig/bad_answer",
                    "Pick a card that someone else, still at the table, answered earlier.")
            act = evolve(act, picked=action.index)
            events = [event("answer_picked", index=action.index)]
        elif isinstance(action, AskFollowUp):
            require(seat == drawer, "dig/not_speaker", "Only the speaker asks here.")
            require(act.picked is not None and not act.asked, "dig/not_now",
                    "Pick an earlier card first; one question per dig.")
            assert act.picked is not None
            from ..engine import _follow_up_text

            card = state.deck.card(state.answered[act.picked].card)
            text = _follow_up_text(action, card.follow_ups)
            act = evolve(act, asked=True, question=text)
            events = [event("follow_up_asked", by=seat)]
        elif isinstance(action, LightBulb):
            require(act.asked and act.picked is not None
                    and state.answered[act.picked].seat == seat, "bulb/not_yours",
                    "Only the person who was asked can light this bulb.")
            require(action.reason == "follow_up" and action.to == drawer, "bulb/bad_reason",
                    "Here the bulb is 'follow_up', lit for the speaker.")
            require(not act.lit, "bulb/limit", "This follow-up has already lit its bulb.")
            state = evolve(state, turn=evolve(turn, activity=evolve(act, lit=True)))
            return light(state, to=drawer, by=seat, reason="follow_up")
        else:
            raise AssertionError(action)
        return evolve(state, turn=evolve(turn, activity=act)), events

    def candidates(self, state: State, seat: int) -> list[Action]:
        drawer = state.turn.drawer  # type: ignore[union-attr]
        out: list[Action] = [ChooseAnswer(index=i) for i in range(len(state.answered))]
        out += [AskFollowUp(suggestion=0), AskFollowUp(text="\u2026"), AskFollowUp(aloud=True),
                LightBulb(to=drawer, reason="follow_up"), EndTurn()]
        return out

    def view(self, state: State, seat: int) -> dict[str, Any]:
        act: DigState = state.turn.activity  # type: ignore[union-attr]
        picked = None
        if act.picked is not None:
            answer = state.answered[act.picked]
            card = state.deck.card(answer.card)
            picked = {"index": act.picked, "seat": answer.seat, "text": card.text,
                      "follow_ups": list(card.follow_ups)}
        return {"picked": picked, "question": act.question, "asked": act.asked, "lit": act.lit}

    def involved(self, state: State) -> frozenset[int]:
        act: DigState = state.turn.activity  # type: ignore[union-attr]
        if act.picked is None:
            return frozenset()
        return frozenset({state.answered[act.picked].seat})

    def started(self, state: State) -> bool:
        return state.turn.activity.picked is not None  # type: ignore[union-attr]
