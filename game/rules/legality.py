"""Fast answers to "may this seat do this now?" for ``legal_actions``.

``apply`` is the authority: each predicate here states the same conditions
as its handler in ``engine`` without building a new state, which makes
listing a seat's moves (done for every seat after every action, online)
several times cheaper. The property tests check both directions against
``apply`` on random games, so a predicate that drifts from its handler
fails CI.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import flow
from .actions import (
    BULB_REASONS,
    Action,
    Appreciate,
    AskFollowUp,
    CloseResponses,
    ConfirmReflection,
    Draw,
    EaseBack,
    EndTurn,
    FinishAnswer,
    FinishClosing,
    LastLightVote,
    Leave,
    LightBulb,
    NothingToAdd,
    Pass,
    Pause,
    ProposeDeeper,
    ProposeLastLight,
    ReadyVote,
    Reflect,
    Resume,
    SkipTurn,
    Star,
    Veto,
)
from .engine import ALLOWED, ANYTIME, PAUSED_ALLOWED
from .state import Phase, State
from .wild import kind_of


def gate(state: State, cls: type[Action]) -> bool:
    """The checks ``apply`` makes before any handler: pause and phase."""
    if state.paused_by is not None and cls not in PAUSED_ALLOWED:
        return False
    return cls in ALLOWED[state.phase] or cls in ANYTIME


def _untouched(state: State) -> bool:
    turn = state.turn
    assert turn is not None
    if state.phase is Phase.ACTIVITY:
        return not kind_of(turn.card.kind).started(state) and not flow.bulbs_this_turn(state)
    return turn.index == 0 and not turn.answered


def _draw(state: State, seat: int, a: Any) -> bool:
    if seat != state.speaker:
        return False
    if a.tier is None:
        return any(flow.first_playable(state, t, seat) is not None
                   for t in range(state.open_tiers))
    try:
        tier = state.deck.tier_index(a.tier)
    except KeyError:
        return False
    return tier < state.open_tiers and flow.first_playable(state, tier, seat) is not None


def _pass(state: State, seat: int, a: Any) -> bool:
    return seat == state.speaker and (_untouched(state) or state.phase is Phase.ANSWER)


def _ask(state: State, seat: int, a: Any) -> bool:
    turn = state.turn
    if seat == state.speaker or turn is None or len(turn.follow_ups) >= 3:
        return False
    text = a.text.strip()
    if a.aloud:
        return bool(not text and a.suggestion is None)
    if a.suggestion is not None:
        return bool(0 <= a.suggestion < len(turn.card.follow_ups))
    return bool(text)


def _reflect(state: State, seat: int, a: Any) -> bool:
    turn = state.turn
    if seat == state.speaker or turn is None:
        return False
    mine = [r for r in turn.reflections if r.by == seat]
    return not mine or mine[-1].confirmed is False


def _confirm(state: State, seat: int, a: Any) -> bool:
    turn = state.turn
    return seat == state.speaker and turn is not None and any(
        r.by == a.by and r.confirmed is None for r in turn.reflections)


def _bulb(state: State, seat: int, a: Any) -> bool:
    turn = state.turn
    if seat != state.speaker or turn is None or a.to == seat:
        return False
    if not 0 <= a.to < len(state.seats) or state.seats[a.to].left:
        return False
    if a.reason not in BULB_REASONS or a.reason not in kind_of(turn.card.kind).bulbs:
        return False
    given = sum(1 for b in flow.bulbs_this_turn(state)
                if b.by == seat and b.to == a.to and b.reason == a.reason)
    if a.reason == "heard":
        return given == 0
    if a.reason == "follow_up":
        return given < sum(1 for f in turn.follow_ups if f.by == a.to)
    return given == 0 and any(r.by == a.to and r.confirmed for r in turn.reflections)


def _skip(state: State, seat: int, a: Any) -> bool:
    speaker = state.speaker
    return speaker is not None and seat != speaker and state.seats[speaker].away


def _propose_deeper(state: State, seat: int, a: Any) -> bool:
    return (state.phase is not Phase.CLOSING and state.next_tier is not None
            and state.deeper_reachable and state.ready_check is None
            and not state.check_requested)


def _appreciate(state: State, seat: int, a: Any) -> bool:
    closing = state.closing
    if closing is None or seat != closing.closer or a.to == seat:
        return False
    if not 0 <= a.to < len(state.seats) or state.seats[a.to].left:
        return False
    if any(n.by == seat and n.to == a.to for n in closing.notes):
        return False
    return not a.sealed or bool(a.text.strip())


def _speaker(state: State, seat: int, a: Any) -> bool:
    return seat == state.speaker


def _listener(state: State, seat: int, a: Any) -> bool:
    return seat != state.speaker


#: moves only the speaker makes, and moves only a listener makes (outside activities)
SPEAKER_ONLY: frozenset[type[Action]] = frozenset(
    {Draw, Pass, FinishAnswer, ConfirmReflection, CloseResponses, LightBulb, EndTurn})
LISTENER_ONLY: frozenset[type[Action]] = frozenset(
    {Veto, AskFollowUp, Reflect, NothingToAdd, SkipTurn})

CHECKS: dict[type[Action], Callable[[State, int, Any], bool]] = {
    Draw: _draw,
    Pass: _pass,
    Veto: lambda s, seat, a: seat != s.speaker and _untouched(s),
    FinishAnswer: _speaker,
    AskFollowUp: _ask,
    Reflect: _reflect,
    ConfirmReflection: _confirm,
    NothingToAdd: _listener,
    CloseResponses: _speaker,
    LightBulb: _bulb,
    EndTurn: _speaker,
    SkipTurn: _skip,
    ReadyVote: lambda s, seat, a: s.ready_check is not None and s.ready_check.vote_of(seat) is None,
    ProposeDeeper: _propose_deeper,
    EaseBack: lambda s, seat, a: s.phase is not Phase.CLOSING and s.open_tiers > 1,
    Star: lambda s, seat, a: s.turn is not None and (s.turn.card.id, seat) not in s.stars,
    Pause: lambda s, seat, a: s.paused_by is None,
    Resume: lambda s, seat, a: s.paused_by is not None and (a.after_wait or seat == s.paused_by),
    Leave: lambda s, seat, a: True,
    ProposeLastLight: lambda s, seat, a: s.phase is not Phase.CLOSING and s.last_light is None,
    LastLightVote: lambda s, seat, a: s.last_light is not None
    and all(v != seat for v, _ in s.last_light),
    Appreciate: _appreciate,
    FinishClosing: lambda s, seat, a: s.closing is not None and seat == s.closing.closer,
}
