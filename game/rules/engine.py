"""The rules of Heartlight as a pure state machine.

Theory of operation
-------------------
A game is a value (``State``). ``apply(state, seat, action)`` checks the
action against the rules and returns a *new* state and the events that
happened, or raises ``IllegalAction`` and leaves the input untouched (states
are immutable, so nothing can half-change).

Which actions a phase allows is the table ``ALLOWED`` below; a few safety and
table-wide actions (``ANYTIME``) are open in every phase until the game ends.
Wild activities bring their own actions (``game.rules.wild``). Every state
carries a ``version`` (one more per accepted action) and an ``epoch`` (the
version at which the table last moved on), so a shell can refuse an action
that was based on a view where it meant something else (``is_stale``).

The whole session is a pure function of (deck, settings, seed, actions):
``replay`` rebuilds it exactly. Time never enters: durations, pause timeouts
and away timers live in the shells.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterable

from . import flow
from .actions import (
    ALL_ACTIONS,
    BULB_REASONS,
    TEXT_LIMITS,
    Action,
    Appreciate,
    AskFollowUp,
    ChooseAnswer,
    ChooseSeat,
    CloseResponses,
    ConfirmGuess,
    ConfirmReflection,
    Draw,
    EaseBack,
    EndTurn,
    FinishAnswer,
    FinishClosing,
    GuessLoveLanguage,
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
    SavePlan,
    SetAway,
    ShareFeeling,
    SkipTurn,
    Star,
    Veto,
)
from .deck import Deck
from .errors import IllegalAction, SetupError
from .events import Event, event
from .flow import Result, require
from .state import FollowUp, Note, Phase, Reflection, Seat, Settings, State, Turn, evolve
from .wild import kind_of

MAX_FOLLOW_UPS = 3
MIN_SEATS, MAX_SEATS = 2, 8
NAME_LIMIT = 24

# phase                 actions a seat may take there
ALLOWED: dict[Phase, frozenset[type[Action]]] = {
    Phase.DRAW:        frozenset({Draw, SkipTurn}),
    Phase.ANSWER:      frozenset({Pass, Veto, FinishAnswer, SkipTurn}),
    Phase.RESPOND:     frozenset({AskFollowUp, Reflect, ConfirmReflection, NothingToAdd,
                                  CloseResponses, SkipTurn}),
    Phase.ACKNOWLEDGE: frozenset({LightBulb, ConfirmReflection, EndTurn, SkipTurn}),
    Phase.ACTIVITY:    frozenset({Pass, Veto, SkipTurn}),   # + the activity's own
    Phase.READY_CHECK: frozenset({ReadyVote}),
    Phase.CLOSING:     frozenset({Appreciate, FinishClosing}),
    Phase.ENDED:       frozenset(),
}
# open in every phase but the end; while paused only PAUSED_ALLOWED
ANYTIME: frozenset[type[Action]] = frozenset(
    {EaseBack, Pause, Resume, Leave, Star, ProposeDeeper, ProposeLastLight, LastLightVote}
)
PAUSED_ALLOWED: frozenset[type[Action]] = frozenset({Resume, Leave, EaseBack})

_PHASE_WORDS = {
    Phase.DRAW: "it is time to draw a card",
    Phase.ANSWER: "the card is being answered",
    Phase.RESPOND: "listeners are responding",
    Phase.ACKNOWLEDGE: "the speaker is lighting bulbs",
    Phase.ACTIVITY: "the table is doing this card's activity",
    Phase.READY_CHECK: "the table is answering a ready check",
    Phase.CLOSING: "the closing has begun",
    Phase.ENDED: "the game has ended",
}


# -- setting up ---------------------------------------------------------------

def clean_name(name: str) -> str:
    """A display name with control characters removed and spaces trimmed."""
    return "".join(ch for ch in name if ch.isprintable()).strip()


def new_game(deck: Deck, settings: Settings, seed: int) -> State:
    """A fresh game: one pile per tier, shuffled with ``seed``, tier 1 open.

    Raises SetupError for a seat count or name the rules do not allow, or a
    deck left without a playable first tier by the exclusions.
    """
    names = tuple(clean_name(n) for n in settings.names)
    if not MIN_SEATS <= len(names) <= MAX_SEATS:
        raise SetupError("setup/seats", f"A game needs {MIN_SEATS} to {MAX_SEATS} seats, "
                         f"not {len(names)}.")
    for i, name in enumerate(names):
        if not 1 <= len(name) <= NAME_LIMIT:
            raise SetupError("setup/name", f"Seat {i + 1} needs a name of 1 to {NAME_LIMIT} "
                             "visible characters.")
    if len(deck.tiers) < 2:
        raise SetupError("setup/deck", f"Deck '{deck.id}' needs at least two tiers.")
    settings = evolve(settings, names=names)
    piles = []
    for tier in deck.tiers:
        ids = [c.id for c in deck.cards if c.tier == tier.id
               and c.id not in settings.excluded_cards
               and not (c.tags & settings.excluded_tags)]
        # string seeds hash with SHA-512: the same on every run and machine
        random.Random(f"{seed}/{tier.id}").shuffle(ids)
        piles.append(tuple(ids))
    if not piles[0]:
        raise SetupError("setup/empty", "Every card of the first tier was left out; "
                         "leave out fewer tags or cards.")
    return State(deck=deck, settings=settings, seed=seed,
                 seats=tuple(Seat(name=n) for n in names), piles=tuple(piles))


# -- applying ---------------------------------------------------------------

def _moved_on(before: State, after: State) -> bool:
    bt, at = before.turn, after.turn
    return (
        before.phase is not after.phase
        or (bt is None) != (at is None)
        or (bt is not None and at is not None and (bt.card.id != at.card.id
                                                   or bt.index != at.index))
        or before.turns_done != after.turns_done
        or before.open_tiers != after.open_tiers
        or (before.closing is not None and after.closing is not None
            and before.closing.index != after.closing.index)
    )


def apply(state: State, seat: int, action: Action) -> tuple[State, tuple[Event, ...]]:
    """Apply ``seat``'s ``action``; return the new state and what happened.

    Raises IllegalAction (with a stable code and a sentence) if the rules do
    not allow it; ``state`` is never changed.
    """
    cls = type(action)
    if not 0 <= seat < len(state.seats):
        raise IllegalAction("seat/unknown", f"There is no seat {seat} at this table.")
    if state.phase is Phase.ENDED:
        raise IllegalAction("game/over", "The game has ended.")
    if state.seats[seat].left and cls is not SetAway:
        raise IllegalAction("seat/left", "This seat has left the game.")
    for name, limit in action.text_fields.items():
        if len(getattr(action, name)) > TEXT_LIMITS[limit]:
            raise IllegalAction("text/too_long", f"That text is over the limit of "
                                f"{TEXT_LIMITS[limit]} characters; shorten it.")
    if state.paused_by is not None and cls not in PAUSED_ALLOWED and cls is not SetAway:
        raise IllegalAction("game/paused", "The table is paused; it waits until the pause "
                            "is lifted.")
    handler = _HANDLERS.get(cls)
    allowed = cls in ALLOWED[state.phase] or cls in ANYTIME or cls is SetAway
    if state.phase is Phase.ACTIVITY and state.turn is not None:
        kind = kind_of(state.turn.card.kind)
        if cls in kind.actions and cls not in ALLOWED[Phase.ACTIVITY]:
            allowed, handler = True, _activity
    if not allowed or handler is None:
        raise IllegalAction("phase/not_now", f"That is not possible now: "
                            f"{_PHASE_WORDS[state.phase]}.")
    new, events = handler(state, seat, action)
    version = state.version + 1
    epoch = version if _moved_on(state, new) else state.epoch
    return evolve(new, version=version, epoch=epoch), tuple(events)


def is_stale(state: State, based_on: int) -> bool:
    """Whether an action chosen while looking at version ``based_on`` may now
    mean something else (the table moved on since). Actions that do not
    depend on the moment (a second follow-up, a vote, a star) stay valid
    while the epoch is unchanged."""
    return based_on < state.epoch or based_on > state.version


def replay(deck: Deck, settings: Settings, seed: int,
           actions: Iterable[tuple[int, Action]]) -> State:
    """Rebuild a game from its log of (seat, action) pairs."""
    state = new_game(deck, settings, seed)
    for seat, action in actions:
        state, _ = apply(state, seat, action)
    return state


# -- a turn -------------------------------------------------------------------

def _speaker_only(state: State, seat: int, what: str) -> None:
    require(seat == state.speaker, "turn/not_speaker", f"Only the speaker can {what}.")


def _listener_only(state: State, seat: int, what: str) -> None:
    require(seat != state.speaker, "turn/not_listener", f"Only a listener can {what}.")


def _draw(state: State, seat: int, action: Draw) -> Result:
    _speaker_only(state, seat, "draw")
    if action.tier is None:
        tiers = [t for t in range(state.open_tiers - 1, -1, -1)
                 if flow.first_playable(state, t, seat) is not None]
        require(bool(tiers), "draw/empty", "Every open pile is empty.")
        tier = tiers[0]
    else:
        try:
            tier = state.deck.tier_index(action.tier)
        except KeyError:
            raise IllegalAction("draw/unknown_tier",
                                f"This deck has no tier called {action.tier!r}.") from None
        require(tier < state.open_tiers, "draw/locked",
                f"'{state.deck.tiers[tier].name}' is not open yet.")
    position = flow.first_playable(state, tier, seat)
    require(position is not None, "draw/empty",
            f"The '{state.deck.tiers[tier].name}' pile is empty; pick another.")
    assert position is not None
    pile = state.piles[tier]
    card = state.deck.card(pile[position])
    piles = list(state.piles)
    piles[tier] = pile[:position] + pile[position + 1:]
    state = evolve(state, piles=tuple(piles))
    kind = kind_of(card.kind)
    events = [event("card_drawn", tier=state.deck.tiers[tier].id, card=card.id, by=seat)]
    if kind.standard:
        turn = Turn(drawer=seat, card=card, tier=tier, answerers=kind.answerers(state, seat))
        return evolve(state, turn=turn, phase=Phase.ANSWER), events
    turn = Turn(drawer=seat, card=card, tier=tier, answerers=(seat,))
    state = evolve(state, turn=turn, phase=Phase.ACTIVITY)
    turn = evolve(turn, activity=kind.start(state, seat))
    return evolve(state, turn=turn), events


def _card_untouched(state: State) -> bool:
    turn = state.turn
    assert turn is not None
    if state.phase is Phase.ACTIVITY:
        return not kind_of(turn.card.kind).started(state) and not flow.bulbs_this_turn(state)
    return turn.index == 0 and not turn.answered


def _pass(state: State, seat: int, action: Pass) -> Result:
    _speaker_only(state, seat, "pass this card")
    turn = state.turn
    assert turn is not None
    events: list[Event] = []
    if _card_untouched(state):
        return flow.send_back(state, events, "pass"), events
    require(state.phase is Phase.ANSWER, "pass/too_late",
            "This activity has started; the speaker can end it instead.")
    # a later answerer under everyone-answers lets their own answer go
    return flow.next_answerer(state, events), events


def _veto(state: State, seat: int, action: Veto) -> Result:
    _listener_only(state, seat, "veto the card")
    require(_card_untouched(state), "veto/too_late",
            "A card can only be vetoed before anyone has answered it.")
    events: list[Event] = []
    return flow.send_back(state, events, "veto"), events


def _finish_answer(state: State, seat: int, action: FinishAnswer) -> Result:
    _speaker_only(state, seat, "finish the answer")
    turn = state.turn
    assert turn is not None
    state = evolve(state, turn=evolve(turn, answered=True, answer_text=action.text),
                    phase=Phase.RESPOND)
    state = flow.record_answer(state, seat)
    return state, [event("answer_finished", by=seat)]


def _ask_follow_up(state: State, seat: int, action: AskFollowUp) -> Result:
    _listener_only(state, seat, "ask a follow-up")
    turn = state.turn
    assert turn is not None
    require(len(turn.follow_ups) < MAX_FOLLOW_UPS, "follow_up/limit",
            f"This answer has had its {MAX_FOLLOW_UPS} follow-ups.")
    text = _follow_up_text(action, turn.card.follow_ups)
    asked = FollowUp(by=seat, text=text, suggestion=action.suggestion, aloud=action.aloud)
    turn = evolve(turn, follow_ups=turn.follow_ups + (asked,),
                   nothing_to_add=turn.nothing_to_add - {seat})
    return evolve(state, turn=turn), [event("follow_up_asked", by=seat)]


def _follow_up_text(action: AskFollowUp, suggestions: tuple[str, ...]) -> str:
    """The words of a follow-up: typed, suggested, or none when asked aloud."""
    text = action.text.strip()
    if action.aloud:
        require(not text and action.suggestion is None, "follow_up/aloud",
                "A follow-up asked aloud carries no text and no suggestion.")
        return ""
    if action.suggestion is not None:
        require(0 <= action.suggestion < len(suggestions), "follow_up/bad_suggestion",
                "That suggested follow-up does not exist on this card.")
        text = text or suggestions[action.suggestion]
    require(bool(text), "follow_up/empty",
            "Write a follow-up, pick a suggested one, or mark it asked aloud.")
    return text


def _reflect(state: State, seat: int, action: Reflect) -> Result:
    _listener_only(state, seat, "reflect back")
    turn = state.turn
    assert turn is not None
    mine = [r for r in turn.reflections if r.by == seat]
    require(not mine or mine[-1].confirmed is False, "reflect/already",
            "You have already reflected back this answer.")
    reflections = tuple(r for r in turn.reflections if r.by != seat)
    turn = evolve(turn, reflections=reflections + (Reflection(by=seat, text=action.text),),
                   nothing_to_add=turn.nothing_to_add - {seat})
    return evolve(state, turn=turn), [event("reflected", by=seat)]


def _confirm_reflection(state: State, seat: int, action: ConfirmReflection) -> Result:
    _speaker_only(state, seat, "confirm a reflection")
    turn = state.turn
    assert turn is not None
    found = [r for r in turn.reflections if r.by == action.by and r.confirmed is None]
    require(bool(found), "reflect/nothing_to_confirm",
            "There is no reflection from that seat waiting for your answer.")
    reflections = tuple(evolve(r, confirmed=action.fits) if r.by == action.by else r
                        for r in turn.reflections)
    state = evolve(state, turn=evolve(turn, reflections=reflections))
    return state, [event("reflection_answered", by=action.by, fits=action.fits)]


def _nothing_to_add(state: State, seat: int, action: NothingToAdd) -> Result:
    _listener_only(state, seat, "say there is nothing to add")
    turn = state.turn
    assert turn is not None
    turn = evolve(turn, nothing_to_add=turn.nothing_to_add | {seat})
    state = evolve(state, turn=turn)
    events = [event("nothing_to_add", by=seat)]
    if set(state.listeners(turn.speaker)) <= turn.nothing_to_add:
        state = evolve(state, phase=Phase.ACKNOWLEDGE)
        events.append(event("responses_closed"))
    return state, events


def _close_responses(state: State, seat: int, action: CloseResponses) -> Result:
    _speaker_only(state, seat, "close the responses")
    return evolve(state, phase=Phase.ACKNOWLEDGE), [event("responses_closed")]


def _light_bulb(state: State, seat: int, action: LightBulb) -> Result:
    _speaker_only(state, seat, "light bulbs here")
    turn = state.turn
    assert turn is not None
    to, reason = action.to, action.reason
    require(to != seat, "bulb/self", "You cannot light a bulb for yourself.")
    require(0 <= to < len(state.seats) and not state.seats[to].left, "bulb/unknown_seat",
            "Light bulbs for someone still at the table.")
    require(reason in BULB_REASONS and reason in kind_of(turn.card.kind).bulbs,
            "bulb/bad_reason", "A bulb here is for 'heard', 'follow_up' or 'reflection'.")
    given = [b for b in flow.bulbs_this_turn(state)
             if b.by == seat and b.to == to and b.reason == reason]
    if reason == "heard":
        require(not given, "bulb/limit", "That listener already has your 'heard' bulb.")
    elif reason == "follow_up":
        asked = sum(1 for f in turn.follow_ups if f.by == to)
        require(len(given) < asked, "bulb/limit",
                "One 'follow_up' bulb per follow-up that listener asked.")
    else:
        confirmed = any(r.by == to and r.confirmed for r in turn.reflections)
        require(confirmed and not given, "bulb/limit",
                "A 'reflection' bulb needs a reflection you confirmed, once.")
    return flow.light(state, to=to, by=seat, reason=reason)


def _end_turn(state: State, seat: int, action: EndTurn) -> Result:
    events: list[Event] = []
    if state.phase is Phase.ACTIVITY:
        assert state.turn is not None
        require(seat == state.turn.drawer, "turn/not_speaker", "Only the speaker can end "
                "this card.")
        return flow.end_turn(state, events), events
    _speaker_only(state, seat, "end the turn")
    return flow.next_answerer(state, events), events


def _skip_turn(state: State, seat: int, action: SkipTurn) -> Result:
    speaker = state.speaker
    assert speaker is not None
    _listener_only(state, seat, "skip the turn")
    require(state.seats[speaker].away, "turn/speaker_present",
            "The speaker is here; only an away speaker's turn can be skipped.")
    events = [event("turn_skipped", seat=speaker)]
    turn = state.turn
    if turn is None:
        return _skip_to_next_drawer(state, events), events
    if turn.speaker == turn.drawer and _card_untouched(state):
        state = flow.return_card(state, turn, events, "skipped")
        return _skip_to_next_drawer(state, events), events
    if state.phase is Phase.ACTIVITY:
        return flow.end_turn(state, events), events
    return flow.next_answerer(state, events), events


def _skip_to_next_drawer(state: State, events: list[Event]) -> State:
    return flow.to_draw(evolve(state, turn=None, drawer=state.next_seat(state.drawer)), events)


def _activity(state: State, seat: int, action: Action) -> Result:
    assert state.turn is not None
    if isinstance(action, EndTurn):
        return _end_turn(state, seat, action)
    return kind_of(state.turn.card.kind).apply(state, seat, action)


# -- the lamp and the tiers ---------------------------------------------------

def _ready_vote(state: State, seat: int, action: ReadyVote) -> Result:
    check = state.ready_check
    assert check is not None
    require(check.vote_of(seat) is None, "ready/already_voted", "You have already answered.")
    state = evolve(state, ready_check=evolve(check, votes=check.votes + ((seat, action.ready),)))
    events = [event("ready_vote_cast", votes=len(check.votes) + 1)]
    return flow.settle_check(state, events), events


def _propose_deeper(state: State, seat: int, action: ProposeDeeper) -> Result:
    require(state.phase is not Phase.CLOSING, "game/closing", "The closing has begun.")
    require(state.next_tier is not None, "tier/deepest", "Every tier is already open.")
    require(state.deeper_reachable, "tier/not_bright", "The lamp is not bright enough yet.")
    require(state.ready_check is None and not state.check_requested, "ready/already",
            "A ready check is already on its way.")
    events = [event("deeper_proposed")]
    state = evolve(state, check_requested=True)
    if state.phase is Phase.DRAW:
        state = flow.maybe_open_check(state, events)
    return state, events


def _ease_back(state: State, seat: int, action: EaseBack) -> Result:
    require(state.phase is not Phase.CLOSING, "game/closing", "The closing has begun.")
    require(state.open_tiers > 1, "tier/lightest", "You are already at the lightest tier.")
    open_tiers = state.open_tiers - 1
    events = [event("eased_back", tier=state.deck.tiers[open_tiers - 1].id)]
    state = evolve(state, open_tiers=open_tiers, ready_check=None, check_requested=False,
                    check_cooldown=state.turns_done + len(state.active))
    if state.phase is Phase.READY_CHECK:
        state = flow.to_draw(state, events)
    elif state.turn is not None and state.turn.tier >= open_tiers:
        # the deeper card leaves the table at once; the same seat draws again
        state = flow.send_back(state, events, "eased_back")
    return state, events


def _star(state: State, seat: int, action: Star) -> Result:
    require(state.turn is not None, "star/no_card", "There is no card on the table to star.")
    assert state.turn is not None
    key = (state.turn.card.id, seat)
    require(key not in state.stars, "star/already", "You have already starred this card.")
    return evolve(state, stars=state.stars + (key,)), [event("card_starred",
                                                              card=state.turn.card.id)]


# -- safety -------------------------------------------------------------------

def _pause(state: State, seat: int, action: Pause) -> Result:
    require(state.paused_by is None, "pause/already", "The table is already paused.")
    return evolve(state, paused_by=seat), [event("paused")]


def _resume(state: State, seat: int, action: Resume) -> Result:
    require(state.paused_by is not None, "pause/not_paused", "The table is not paused.")
    require(action.after_wait or seat == state.paused_by, "pause/not_yours",
            "Only the person who paused can resume.")
    return evolve(state, paused_by=None), [event("resumed")]


def _leave(state: State, seat: int, action: Leave) -> Result:
    seats = list(state.seats)
    seats[seat] = evolve(seats[seat], left=True)
    before = state
    state = evolve(state, seats=tuple(seats))
    events = [event("seat_left", seat=seat)]
    if before.paused_by == seat:
        state = evolve(state, paused_by=None)
        events.append(event("resumed"))
    if len(state.active) < MIN_SEATS:
        return flow.end_game(state, events), events
    if state.last_light is not None:
        state = evolve(state, last_light=tuple(v for v in state.last_light if v[0] != seat))
        state = _settle_last_light(state, events)
    if state.phase is Phase.READY_CHECK and state.ready_check is not None:
        check = state.ready_check
        state = evolve(state, ready_check=evolve(
            check, votes=tuple(v for v in check.votes if v[0] != seat)))
        return flow.settle_check(state, events), events
    if state.phase is Phase.CLOSING and state.closing is not None:
        closing = state.closing
        if closing.closer == seat:
            return _next_closer(state, events), events
        return state, events
    if state.phase is Phase.DRAW and state.drawer == seat:
        return flow.to_draw(evolve(state, drawer=state.next_seat(seat)), events), events
    turn = state.turn
    if turn is None:
        return state, events
    if state.phase is Phase.ACTIVITY:
        if seat == turn.drawer or seat in kind_of(turn.card.kind).involved(before):
            if seat == turn.drawer and _card_untouched(before):
                state = flow.return_card(state, turn, events, "left")
                return _skip_to_next_drawer(state, events), events
            return flow.end_turn(state, events), events
        return state, events
    if seat == turn.speaker:
        if turn.index == 0 and not turn.answered:
            state = flow.return_card(state, turn, events, "left")
            if seat == turn.drawer:
                return _skip_to_next_drawer(state, events), events
        return flow.next_answerer(state, events), events
    if state.phase is Phase.RESPOND and set(state.listeners(turn.speaker)) <= turn.nothing_to_add:
        state = evolve(state, phase=Phase.ACKNOWLEDGE)
        events.append(event("responses_closed"))
    return state, events


def _set_away(state: State, seat: int, action: SetAway) -> Result:
    if state.seats[seat].away == action.away:
        return state, []
    seats = list(state.seats)
    seats[seat] = evolve(seats[seat], away=action.away)
    state = evolve(state, seats=tuple(seats))
    events = [event("seat_away" if action.away else "seat_back", seat=seat)]
    if action.away:
        state = flow.settle_check(state, events)
    return state, events


# -- ending -------------------------------------------------------------------

def _settle_last_light(state: State, events: list[Event]) -> State:
    votes = state.last_light
    if votes is None:
        return state
    agreed = {s for s, agree in votes if agree}
    if set(state.active) <= agreed:
        events.append(event("last_light_agreed"))
        return flow.begin_closing(state, events)
    return state


def _propose_last_light(state: State, seat: int, action: ProposeLastLight) -> Result:
    require(state.phase is not Phase.CLOSING, "game/closing", "The closing has begun.")
    require(state.last_light is None, "last_light/already", "Last light is already proposed.")
    state = evolve(state, last_light=((seat, True),))
    events = [event("last_light_proposed")]
    return _settle_last_light(state, events), events


def _last_light_vote(state: State, seat: int, action: LastLightVote) -> Result:
    require(state.last_light is not None, "last_light/none", "Nobody has proposed last light.")
    assert state.last_light is not None
    require(all(s != seat for s, _ in state.last_light), "last_light/already_voted",
            "You have already answered.")
    if not action.agree:
        return evolve(state, last_light=None), [event("last_light_declined")]
    state = evolve(state, last_light=state.last_light + ((seat, True),))
    events = [event("last_light_vote", agreed=len(state.last_light or ()))]
    return _settle_last_light(state, events), events


def _appreciate(state: State, seat: int, action: Appreciate) -> Result:
    closing = state.closing
    assert closing is not None
    require(seat == closing.closer, "closing/not_your_turn",
            "It is someone else's turn to say what they appreciated.")
    require(action.to != seat and 0 <= action.to < len(state.seats)
            and not state.seats[action.to].left, "closing/bad_seat",
            "Tell someone else who is still at the table.")
    require(all(not (n.by == seat and n.to == action.to) for n in closing.notes),
            "closing/already", "You have already told that person.")
    require(not action.sealed or bool(action.text.strip()), "closing/empty_note",
            "A sealed note needs some words.")
    note = Note(by=seat, to=action.to, text=action.text, sealed=action.sealed)
    state = evolve(state, closing=evolve(closing, notes=closing.notes + (note,)))
    return state, [event("appreciated", by=seat, to=action.to, sealed=action.sealed)]


def _next_closer(state: State, events: list[Event]) -> State:
    closing = state.closing
    assert closing is not None
    index = closing.index + 1
    while index < len(closing.order) and state.seats[closing.order[index]].left:
        index += 1
    state = evolve(state, closing=evolve(closing, index=index))
    if index >= len(closing.order):
        return flow.end_game(state, events)
    events.append(event("closer_changed", seat=closing.order[index]))
    return state


def _finish_closing(state: State, seat: int, action: FinishClosing) -> Result:
    closing = state.closing
    assert closing is not None
    require(seat == closing.closer, "closing/not_your_turn", "It is someone else's turn.")
    events: list[Event] = []
    return _next_closer(state, events), events


_HANDLERS: dict[type[Action], Callable[..., Result]] = {
    Draw: _draw, Pass: _pass, Veto: _veto, FinishAnswer: _finish_answer,
    AskFollowUp: _ask_follow_up, Reflect: _reflect, ConfirmReflection: _confirm_reflection,
    NothingToAdd: _nothing_to_add, CloseResponses: _close_responses, LightBulb: _light_bulb,
    EndTurn: _end_turn, SkipTurn: _skip_turn, ReadyVote: _ready_vote,
    ProposeDeeper: _propose_deeper, EaseBack: _ease_back, Star: _star, Pause: _pause,
    Resume: _resume, Leave: _leave, SetAway: _set_away, ProposeLastLight: _propose_last_light,
    LastLightVote: _last_light_vote, Appreciate: _appreciate, FinishClosing: _finish_closing,
}


# -- what is legal ------------------------------------------------------------

def _candidates(state: State, seat: int) -> list[Action]:
    """Every action worth trying for ``seat`` now (many will be illegal)."""
    out: list[Action] = []
    if state.phase is Phase.ACTIVITY and state.turn is not None:
        out += kind_of(state.turn.card.kind).candidates(state, seat)
    tiers = tuple(t.id for t in state.deck.tiers[:state.open_tiers])
    suggestions = len(state.turn.card.follow_ups) if state.turn else 0
    out += _phase_candidates(state.phase, len(state.seats), tiers, suggestions)
    return out


@functools.lru_cache(maxsize=512)
def _phase_candidates(phase: Phase, seat_count: int, tiers: tuple[str, ...],
                      suggestions: int) -> tuple[Action, ...]:
    seats = range(seat_count)
    out: list[Action] = []
    wanted = ALLOWED[phase] | ANYTIME
    # a fixed order (the phase's own actions first) so every shell lists
    # the same moves in the same order on every run
    classes = [c for c in ALL_ACTIONS if c in wanted and c not in ANYTIME]
    classes += [c for c in ALL_ACTIONS if c in ANYTIME]
    for cls in classes:
        if cls is Draw:
            out += [Draw()] + [Draw(tier=t) for t in tiers]
        elif cls is AskFollowUp:
            out += [AskFollowUp(suggestion=i) for i in range(suggestions)]
            out += [AskFollowUp(text="\u2026"), AskFollowUp(aloud=True)]
        elif cls is Reflect:
            out.append(Reflect(text="\u2026"))
        elif cls is ConfirmReflection:
            out += [ConfirmReflection(by=s, fits=f) for s in seats for f in (True, False)]
        elif cls is LightBulb:
            out += [LightBulb(to=s, reason=r) for s in seats for r in BULB_REASONS[:3]]
        elif cls is ReadyVote:
            out += [ReadyVote(ready=True), ReadyVote(ready=False)]
        elif cls is LastLightVote:
            out += [LastLightVote(agree=True), LastLightVote(agree=False)]
        elif cls is Resume:
            out += [Resume(), Resume(after_wait=True)]
        elif cls is Appreciate:
            out += [Appreciate(to=s, text="\u2026", sealed=b) for s in seats for b in (False, True)]
        elif cls in (ChooseSeat, ChooseAnswer, GuessLoveLanguage, ConfirmGuess, SavePlan,
                     ShareFeeling):
            continue
        else:
            out.append(cls())
    return tuple(out)


def legal_actions(state: State, seat: int) -> tuple[Action, ...]:
    """Every action ``seat`` could take now, as concrete examples (typed text
    shown as a one-character placeholder; a shell offers a text box).

    Most actions are judged by the predicates in ``legality`` (no state is
    built); an activity's own actions by trying them. The property tests
    hold the two paths to ``apply``: whatever is listed is accepted, and
    whatever is accepted is listed.
    """
    from .legality import CHECKS, LISTENER_ONLY, SPEAKER_ONLY, gate

    if not 0 <= seat < len(state.seats) or state.phase is Phase.ENDED \
            or state.seats[seat].left:
        return ()
    legal = []
    activity = state.phase is Phase.ACTIVITY
    seen: set[Action] = set()
    gates: dict[type[Action], bool] = {}
    # whole families of moves belong to the speaker or to the listeners
    not_mine = LISTENER_ONLY if seat == state.speaker else SPEAKER_ONLY
    for action in _candidates(state, seat):
        if activity:  # an activity may offer what the phase table offers too
            if action in seen:
                continue
            seen.add(action)
        cls = type(action)
        check = CHECKS.get(cls)
        if check is not None and not (activity and cls not in ALLOWED[Phase.ACTIVITY]
                                      and cls not in ANYTIME):
            if cls in not_mine:
                continue
            allowed = gates.get(cls)
            if allowed is None:
                allowed = gates[cls] = gate(state, cls)
            if allowed and check(state, seat, action):
                legal.append(action)
            continue
        try:
            apply(state, seat, action)
        except IllegalAction:
            continue
        legal.append(action)
    return tuple(legal)
