"""Transitions shared by the phases and the wild activities.

Each function takes a state and returns a new one (and sometimes events);
none of them checks who is asking: that is the handlers' job.
"""

from __future__ import annotations

from .errors import IllegalAction
from .events import Event, event
from .state import Answer, Bulb, Closing, Phase, ReadyCheck, State, Turn, evolve

Result = tuple[State, list[Event]]


def refuse(code: str, message: str) -> IllegalAction:
    return IllegalAction(code, message)


def require(condition: bool, code: str, message: str) -> None:
    if not condition:
        raise IllegalAction(code, message)


# -- piles ------------------------------------------------------------------

def is_playable(state: State, card_id: str, drawer: int) -> bool:
    from .wild import kind_of  # the registry imports this module

    card = state.deck.card(card_id)
    return kind_of(card.kind).playable(state, drawer)


def first_playable(state: State, tier: int, drawer: int) -> int | None:
    """Position of the top card of ``tier`` that can be played now."""
    for position, card_id in enumerate(state.piles[tier]):
        if is_playable(state, card_id, drawer):
            return position
    return None


def any_playable(state: State) -> bool:
    return any(
        first_playable(state, tier, state.drawer) is not None for tier in range(state.open_tiers)
    )


def return_card(state: State, turn: Turn, events: list[Event], reason: str) -> State:
    """Put the card of ``turn`` at the bottom of its pile (and say so)."""
    events.append(event("card_returned", reason=reason))
    piles = list(state.piles)
    piles[turn.tier] = piles[turn.tier] + (turn.card.id,)
    return evolve(state, piles=tuple(piles))


# -- bulbs ------------------------------------------------------------------

def light(state: State, to: int, by: int, reason: str) -> Result:
    assert state.turn is not None
    bulb = Bulb(to=to, by=by, reason=reason, card=state.turn.card.id, turn=state.turns_done)
    state = evolve(state, bulbs=state.bulbs + (bulb,))
    return state, [event("bulb_lit", to=to, by=by, reason=reason, lit=state.lit)]


def bulbs_this_turn(state: State) -> tuple[Bulb, ...]:
    turn = state.turn
    if turn is None:
        return ()
    # bulbs are appended in play order: scan back only over this turn's
    found = []
    for b in reversed(state.bulbs):
        if b.turn != state.turns_done:
            break
        if b.card == turn.card.id:
            found.append(b)
    return tuple(reversed(found))


# -- moving on --------------------------------------------------------------

def record_answer(state: State, seat: int) -> State:
    turn = state.turn
    assert turn is not None
    answer = Answer(card=turn.card.id, tier=turn.tier, seat=seat, turn=state.turns_done)
    return evolve(state, answered=state.answered + (answer,))


def to_draw(state: State, events: list[Event]) -> State:
    """Back to a draw, or to the closing when every open pile is spent."""
    state = evolve(state, phase=Phase.DRAW, turn=None)
    if not any_playable(state):
        return begin_closing(state, events)
    return state


def maybe_open_check(state: State, events: list[Event]) -> State:
    """Between turns: open a ready check when it is due, else go to the draw."""
    due = state.deeper_reachable and (
        state.check_requested or state.turns_done >= state.check_cooldown
    )
    if due:
        tier = state.open_tiers
        events.append(event("ready_check_opened", tier=state.deck.tiers[tier].id))
        return evolve(
            state, phase=Phase.READY_CHECK, turn=None, ready_check=ReadyCheck(tier=tier),
            check_requested=False,
        )
    return to_draw(state, events)


def end_turn(state: State, events: list[Event]) -> State:
    """The turn is over: the next seat draws (after a ready check if due)."""
    events.append(event("turn_ended"))
    played = state.played + (state.turn.card.id,) if state.turn is not None else state.played
    state = evolve(
        state, turn=None, turns_done=state.turns_done + 1, drawer=state.next_seat(state.drawer),
        played=played,
    )
    return maybe_open_check(state, events)


def next_answerer(state: State, events: list[Event]) -> State:
    """The current answer is over: the next answerer starts, or the turn ends."""
    turn = state.turn
    assert turn is not None
    index = turn.index + 1
    while index < len(turn.answerers) and state.seats[turn.answerers[index]].left:
        index += 1
    if index >= len(turn.answerers):
        return end_turn(state, events)
    events.append(event("answerer_changed", speaker=turn.answerers[index]))
    new_turn = evolve(
        turn, index=index, answer_text="", answered=False, follow_ups=(), reflections=(),
        nothing_to_add=frozenset(),
    )
    return evolve(state, turn=new_turn, phase=Phase.ANSWER)


def send_back(state: State, events: list[Event], reason: str) -> State:
    """The card on the table goes to the bottom of its pile; the drawer draws again."""
    turn = state.turn
    assert turn is not None
    state = return_card(state, turn, events, reason)
    return to_draw(state, events)


# -- ready checks -----------------------------------------------------------

def settle_check(state: State, events: list[Event]) -> State:
    """Close the ready check once every present seat has answered.

    A seat that is away counts as *not yet*: the tier opens only when every
    seat still in the game is present and ready.
    """
    check = state.ready_check
    if check is None or state.phase is not Phase.READY_CHECK:
        return state
    present = [i for i in state.active if not state.seats[i].away]
    if any(check.vote_of(i) is None for i in present):
        return state
    everyone = all(check.vote_of(i) is True for i in state.active)
    state = evolve(state, ready_check=None, check_requested=False)
    if everyone and check.tier == state.open_tiers:
        state = evolve(state, open_tiers=state.open_tiers + 1,
                        unlocked=state.unlocked + (check.tier,))
        events.append(event("tier_unlocked", tier=state.deck.tiers[check.tier].id))
        # a further tier may already be within reach: wait at least one turn
        state = evolve(state, check_cooldown=state.turns_done + 1)
    else:
        events.append(event("ready_check_closed", unlocked=False))
        state = evolve(state, check_cooldown=state.turns_done + len(state.active))
    return to_draw(state, events)


# -- ending -----------------------------------------------------------------

def begin_closing(state: State, events: list[Event]) -> State:
    if state.turn is not None and not state.turn.answered and state.turn.index == 0:
        state = return_card(state, state.turn, events, "closing")
    order = []
    seat = state.drawer if not state.seats[state.drawer].left else state.next_seat(state.drawer)
    for _ in range(len(state.active)):
        order.append(seat)
        seat = state.next_seat(seat)
    events.append(event("closing_began"))
    return evolve(
        state, phase=Phase.CLOSING, turn=None, ready_check=None, last_light=None,
        check_requested=False, closing=Closing(order=tuple(order)),
    )


def end_game(state: State, events: list[Event]) -> State:
    events.append(event("game_ended"))
    return evolve(state, phase=Phase.ENDED, turn=None, ready_check=None, paused_by=None)
