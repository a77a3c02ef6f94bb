"""Record the golden games: `python tests/rules/golden/record.py`.

Each game is played by a simple, kind table (answer, one follow-up, heard
bulbs for everyone, natural moves for every activity) with a script of
special moments (a veto, a pass, a *not yet*, an ease back, a pause...). The
files hold the actions and, after every one, the lamp, open tiers, phase and
speaker. Re-record only when a rule change is intended, then read the diff.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from rulekit import make_deck  # noqa: E402

from game.rules import (  # noqa: E402
    WILD_KINDS,
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
    Pass,
    Pause,
    Phase,
    ProposeLastLight,
    ReadyVote,
    Reflect,
    Resume,
    SavePlan,
    Settings,
    ShareFeeling,
    Star,
    Veto,
    apply,
    new_game,
    to_dict,
)


def kind_move(state):
    """The next natural (seat, action) for a kind table."""
    turn = state.turn
    if state.phase is Phase.DRAW:
        return state.drawer, Draw()
    if state.phase is Phase.READY_CHECK:
        seat = next(s for s in state.active if state.ready_check.vote_of(s) is None)
        return seat, ReadyVote(ready=True)
    if state.phase is Phase.CLOSING:
        closer = state.closing.closer
        told = {n.to for n in state.closing.notes if n.by == closer}
        if not told:
            return closer, Appreciate(to=state.next_seat(closer), text="thank you")
        return closer, FinishClosing()
    speaker = turn.speaker
    listeners = state.listeners(speaker)
    if state.phase is Phase.ANSWER:
        return speaker, FinishAnswer()
    if state.phase is Phase.RESPOND:
        if not turn.follow_ups:
            return listeners[0], AskFollowUp(suggestion=0)
        if not turn.reflections and len(listeners) > 1:
            return listeners[1], Reflect(text="what I heard")
        pending = [r for r in turn.reflections if r.confirmed is None]
        if pending:
            return speaker, ConfirmReflection(by=pending[0].by, fits=True)
        return speaker, CloseResponses()
    if state.phase is Phase.ACKNOWLEDGE:
        lit = {(b.to, b.reason) for b in state.bulbs
               if b.turn == state.turns_done and b.card == turn.card.id and b.by == speaker}
        for seat in listeners:
            if (seat, "heard") not in lit:
                return speaker, LightBulb(to=seat, reason="heard")
        for f in turn.follow_ups:
            if (f.by, "follow_up") not in lit:
                return speaker, LightBulb(to=f.by, reason="follow_up")
        for r in turn.reflections:
            if r.confirmed and (r.by, "reflection") not in lit:
                return speaker, LightBulb(to=r.by, reason="reflection")
        return speaker, EndTurn()
    # activities
    act, kind, drawer = turn.activity, turn.card.kind, turn.drawer
    if kind == "reflect":
        if act.confirmed:
            return drawer, EndTurn()
        if act.reflection is None:
            return act.reflector, Reflect(text="I heard you say")
        return act.previous.seat, ConfirmReflection(by=act.reflector, fits=True)
    if kind == "gratitude":
        if act.chosen is None:
            return drawer, ChooseSeat(seat=state.next_seat(drawer))
        if not act.seen:
            return act.chosen, LightBulb(to=drawer, reason="seen")
        return drawer, EndTurn()
    if kind == "dig_deeper":
        if act.picked is None:
            index = next(i for i, a in enumerate(state.answered) if a.seat != drawer
                         and not state.seats[a.seat].left)
            return drawer, ChooseAnswer(index=index)
        if not act.asked:
            return drawer, AskFollowUp(text="and then?")
        if not act.lit:
            return state.answered[act.picked].seat, LightBulb(to=drawer, reason="follow_up")
        return drawer, EndTurn()
    if kind == "check_in":
        waiting = [s for s in state.active if s not in act.shared]
        return (waiting[0], ShareFeeling()) if waiting else (drawer, EndTurn())
    if kind == "plan_together":
        return (drawer, EndTurn()) if act.saved else (drawer, SavePlan(text="a walk"))
    if kind == "love_languages":
        if act.pending is not None:
            return act.pending.target, ConfirmGuess(fits=act.index % 2 == 0)
        if act.guesser is not None:
            return act.guesser, GuessLoveLanguage(target=state.next_seat(act.guesser),
                                                  language="time")
        return drawer, EndTurn()
    raise AssertionError(kind)


def record(name, *, seats, unlock, per_tier, seed, script, everyone_answers=None, limit=400):
    """Play a game; ``script`` maps an action count to a special (seat, action)."""
    deck_spec = {"per_tier": per_tier, "unlock": list(unlock), "wild": list(WILD_KINDS)}
    deck = make_deck(per_tier=per_tier, unlock=tuple(unlock), wild=WILD_KINDS)
    names = [f"Seat{i}" for i in range(seats)]
    settings = Settings(names=tuple(names), everyone_answers=everyone_answers)
    state = new_game(deck, settings, seed)
    steps = []
    while state.phase is not Phase.ENDED and len(steps) < limit:
        special = script.get(len(steps))
        seat, action = special(state) if callable(special) else kind_move(state)
        state, _ = apply(state, seat, action)
        steps.append({
            "seat": seat, "action": to_dict(action),
            "expect": {"lit": state.lit, "open_tiers": state.open_tiers,
                       "phase": state.phase.value, "speaker": state.speaker,
                       "turns_done": state.turns_done},
        })
    data = {"name": name, "deck": deck_spec, "seats": names, "seed": seed,
            "everyone_answers": everyone_answers, "steps": steps,
            "final": {"lit": state.lit, "open_tiers": state.open_tiers,
                      "phase": state.phase.value, "plans": list(state.plans),
                      "unlocked": list(state.unlocked), "turns_done": state.turns_done}}
    (HERE / f"{name}.json").write_text(json.dumps(data, indent=1) + "\n")
    print(name, len(steps), "actions; final", data["final"])


def at_phase(phase, seat_of, action):
    """A scripted move that waits until ``phase`` (playing kindly meanwhile)."""
    def move(state):
        if state.phase is phase:
            return seat_of(state), action
        return kind_move(state)
    return move


if __name__ == "__main__":
    listener = lambda s: s.listeners(s.turn.speaker)[-1]  # noqa: E731
    record("two_seat_evening", seats=2, unlock=(0, 2, 4), per_tier=10, seed=11, script={
        3: at_phase(Phase.ANSWER, listener, Veto()),
        9: at_phase(Phase.ANSWER, lambda s: s.turn.speaker, Star()),
        20: lambda s: (1, Pause()), 21: lambda s: (1, Resume()),
        40: lambda s: (0, EaseBack()) if s.open_tiers > 1 else kind_move(s),
        70: lambda s: (1, ProposeLastLight()), 71: lambda s: (0, LastLightVote(agree=True)),
    })
    record("four_friends_not_yet", seats=4, unlock=(0, 1, 2), per_tier=8, seed=5, script={
        2: at_phase(Phase.ANSWER, lambda s: s.turn.speaker, Pass()),
        **{n: (lambda s: (s.active[-1], ReadyVote(ready=False))
               if s.phase is Phase.READY_CHECK and s.open_tiers == 1
               and s.ready_check.vote_of(s.active[-1]) is None else kind_move(s))
           for n in range(10, 60)},
        90: lambda s: (3, Leave()),
    })
    record("three_seats_everyone_answers", seats=3, unlock=(0, 2, 3), per_tier=6, seed=23,
           everyone_answers=True, script={
               15: lambda s: (2, Pause()), 16: lambda s: (0, Resume(after_wait=True)),
               200: lambda s: (2, ProposeLastLight()),
               201: lambda s: (0, LastLightVote(agree=True)),
               202: lambda s: (1, LastLightVote(agree=True)),
           })
