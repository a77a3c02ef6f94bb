"""Random legal play keeps every invariant of the rules (hypothesis).

Each example seats 2-8 players with random settings and plays a random game
by choosing among ``legal_actions``; now and then it also tries an action
that is probably illegal, which must raise IllegalAction and change nothing.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rulekit import make_deck

from game.rules import (
    WILD_KINDS,
    Appreciate,
    AskFollowUp,
    EaseBack,
    IllegalAction,
    LastLightVote,
    Leave,
    Pause,
    Phase,
    ProposeLastLight,
    ReadyVote,
    Settings,
    Veto,
    apply,
    legal_actions,
    new_game,
    replay,
    view_for,
)
from game.rules.engine import _candidates

DECK = make_deck(per_tier=8, wild=WILD_KINDS, unlock=(0, 1, 2))
EXAMPLES = int(os.environ.get("HEARTLIGHT_PROPERTY_EXAMPLES", "200"))
RARE = (Leave, ProposeLastLight, Pause, EaseBack)


def _secret(action, n):
    """Give typed text a distinctive value so leaks can be searched for."""
    if hasattr(action, "text") and action.text:
        return replace(action, text=f"secret-{type(action).__name__}-{n}")
    return action


class _Random:
    """The same choices as hypothesis's ``data``, from a seeded random.Random."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def draw(self, strategy, label=""):
        return strategy.example_from(self.rng)


def _integers(lo, hi):
    s = st.integers(lo, hi)
    s.example_from = lambda rng: rng.randint(lo, hi)  # type: ignore[attr-defined]
    return s


def _sampled(seq):
    s = st.sampled_from(seq)
    s.example_from = lambda rng: rng.choice(list(seq))  # type: ignore[attr-defined]
    return s


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_random_legal_play_keeps_the_invariants(data):
    play_and_check(data, max_steps=150)


@pytest.mark.parametrize("seed", range(40))
def test_long_random_games_reach_deep_tiers_and_keep_the_invariants(seed):
    """Hypothesis prefers short games; these long ones (seeded, eager to say
    ready) reach unlocks, ease backs, activities and closings."""
    play_and_check(_Random(seed), max_steps=400, eager=True)


def play_and_check(data, *, max_steps: int, eager: bool = False):
    st_integers, st_sampled = (_integers, _sampled)
    seats = data.draw(st_integers(2, 8), label="seats")
    names = tuple(f"Seat{i}" for i in range(seats))
    chosen = Settings(
        names=names,
        everyone_answers=data.draw(st_sampled([None, True, False]), label="everyone"),
        excluded_tags=frozenset(),
    )
    seed = data.draw(st_integers(0, 2**32), label="seed")
    state = new_game(DECK, chosen, seed)
    log = []
    drawn_out: set[str] = set()       # cards taken from a pile and not returned
    ever_drawn: set[str] = set()      # cards the table has seen
    asked = [0] * seats               # follow-ups each seat asked
    sealed_texts: list[str] = []
    steps = data.draw(st_integers(10, max_steps), label="steps")
    for n in range(steps):
        if state.phase is Phase.ENDED:
            break
        seat = data.draw(st_integers(0, seats - 1), label="seat")
        legal = legal_actions(state, seat)
        if data.draw(st_integers(0, 9), label="try illegal") == 0:
            probe = data.draw(st_sampled(_candidates(state, seat)), label="probe")
            if probe not in legal:
                before = state
                try:
                    apply(state, seat, probe)
                except IllegalAction as err:
                    assert err.code and err.message
                else:
                    raise AssertionError(f"{probe} was not listed as legal but was accepted")
                assert state == before
        # whatever is listed as legal is accepted (the fast path agrees with apply)
        for listed in legal:
            apply(state, seat, _secret(listed, n))
        common = [a for a in legal if not isinstance(a, RARE)]
        if eager:
            common = [a for a in common if a not in (ReadyVote(ready=False),
                                                     LastLightVote(agree=True))] or common
        pool = common if data.draw(st_integers(0, 79), label="rare") else legal
        if not pool:
            continue
        action = _secret(data.draw(st_sampled(pool), label="action"), n)
        new, events = apply(state, seat, action)

        # the lamp never goes down; a speaker never lights their own bulb
        assert new.lit >= state.lit
        assert all(b.to != b.by for b in new.bulbs)
        # follow-up bulbs never exceed the follow-ups asked
        if isinstance(action, AskFollowUp):
            asked[seat] += 1
        for s in range(seats):
            assert sum(1 for b in new.bulbs if b.to == s and b.reason == "follow_up") <= asked[s]
        # no tier opens without its threshold and an all-ready check
        if new.open_tiers > state.open_tiers:
            # the last ready vote, or the departure of the last seat yet to vote
            assert isinstance(action, (ReadyVote, Leave)), action
            assert state.lit >= state.threshold(state.open_tiers)
            votes = dict(state.ready_check.votes)
            if isinstance(action, ReadyVote):
                assert action.ready
                votes[seat] = True
            assert all(votes.get(s) for s in new.active)
        # each card is drawn at most once, except after a pass, veto or ease back
        for e in events:
            if e.type == "card_drawn":
                assert e.data["card"] not in drawn_out
                drawn_out.add(e.data["card"])
                ever_drawn.add(e.data["card"])
            if e.type == "card_returned":
                drawn_out.discard(state.turn.card.id)
        if new.phase is Phase.CLOSING and state.turn is not None and state.phase is not Phase.CLOSING:
            drawn_out.discard(state.turn.card.id)
        # events never name who did something private
        if isinstance(action, (Veto, EaseBack, Pause, ReadyVote)):
            for e in events:
                assert e.data.get("by") != seat or e.type == "bulb_lit"
        if isinstance(action, Appreciate) and action.sealed:
            sealed_texts.append(action.text)
        log.append((seat, action))
        state = new

        # view_for leaks nothing (one seat's view each step keeps this fast)
        viewer = data.draw(st_integers(0, seats - 1), label="viewer")
        view = view_for(state, viewer)
        text = repr(view)
        unseen = [c for pile in state.piles for c in pile if c not in ever_drawn]
        assert not any(f"'{c}'" in text for c in unseen), "pile contents leaked"
        if state.ready_check is not None:
            assert set(view["ready_check"]) == {"tier", "votes", "needed", "my_vote"}
            assert view["ready_check"]["my_vote"] == state.ready_check.vote_of(viewer)
        if state.phase is not Phase.ENDED:
            assert not any(t in text for t in sealed_texts), "sealed note leaked"
        if state.paused_by is not None and state.paused_by != viewer:
            assert view["i_paused"] is False

    if isinstance(data, _Random):
        return state
    event(f"open tiers at the end: {state.open_tiers}")
    event(f"final phase: {state.phase.value}")
    # the whole session is a pure function of (deck, settings, seed, actions)
    assert replay(DECK, chosen, seed, log) == state
    assert state.version == len(log)
    return state
