"""DESIGN 1.3: the lamp, thresholds, ready checks, ease back, stars."""

from __future__ import annotations

import pytest
from rulekit import act, everyone_votes, game, plain_turn, play_until_check

from game.rules import (
    CloseResponses,
    Draw,
    EaseBack,
    EndTurn,
    FinishAnswer,
    IllegalAction,
    Phase,
    ProposeDeeper,
    ReadyVote,
    SetAway,
    Star,
    apply,
    view_for,
)


def test_a_tier_threshold_is_unlock_per_player_times_seats(three):
    # the test deck asks 2 bulbs per player for glow, 4 for hearth
    assert three.threshold(1) == 6 and three.threshold(2) == 12
    assert game(5).threshold(1) == 10


def test_a_ready_check_opens_at_the_end_of_the_turn_that_crosses_the_threshold(three):
    state = plain_turn(three, bulbs_for=(0, 1, 2))  # 2 bulbs
    state = plain_turn(state, bulbs_for=(0, 1, 2))  # 4
    assert state.ready_check is None and state.phase is Phase.DRAW
    state = plain_turn(state, bulbs_for=(0, 1, 2))  # 6: glow's threshold
    assert state.lit == 6 and state.phase is Phase.READY_CHECK
    assert state.ready_check.tier == 1


def test_a_tier_opens_only_when_everyone_is_ready(three):
    state = play_until_check(three)
    state = act(state, 0, ReadyVote(ready=True))
    state = act(state, 1, ReadyVote(ready=True))
    assert state.open_tiers == 1
    state = act(state, 2, ReadyVote(ready=True))
    assert state.open_tiers == 2 and state.phase is Phase.DRAW


def test_one_not_yet_keeps_the_tier_closed_and_nobody_learns_who(three):
    state = play_until_check(three)
    state = act(state, 0, ReadyVote(ready=True))
    state, events = apply(state, 1, ReadyVote(ready=False))
    view = view_for(state, 2)
    assert view["ready_check"] == {"tier": "glow", "votes": 2, "needed": 3, "my_vote": None}
    assert all("by" not in e.data and "seat" not in e.data for e in events)
    state, events = apply(state, 2, ReadyVote(ready=True))
    assert state.open_tiers == 1 and state.phase is Phase.DRAW
    assert [e.type for e in events] == ["ready_vote_cast", "ready_check_closed"]


def test_a_seat_votes_once(three):
    state = act(play_until_check(three), 0, ReadyVote(ready=True))
    with pytest.raises(IllegalAction) as err:
        apply(state, 0, ReadyVote(ready=False))
    assert err.value.code == "ready/already_voted"


def test_after_a_not_yet_the_check_reopens_after_every_seat_has_spoken_once_more(three):
    state = everyone_votes(play_until_check(three), except_={1: False})
    for _ in range(2):
        state = plain_turn(state)
        assert state.ready_check is None
    state = plain_turn(state)
    assert state.phase is Phase.READY_CHECK


def test_any_seat_may_propose_the_check_earlier(three):
    state = everyone_votes(play_until_check(three), except_={1: False})
    state = act(state, 2, ProposeDeeper())
    assert state.phase is Phase.READY_CHECK
    state = everyone_votes(state)
    assert state.open_tiers == 2


def test_proposing_needs_a_bright_enough_lamp(three):
    with pytest.raises(IllegalAction) as err:
        apply(three, 0, ProposeDeeper())
    assert err.value.code == "tier/not_bright"


def test_a_proposal_during_a_turn_opens_the_check_when_the_turn_ends(three):
    state = everyone_votes(play_until_check(three), except_={0: False})
    state = act(state, state.drawer, Draw(tier="spark"))
    state = act(state, 2, ProposeDeeper())
    assert state.phase is Phase.ANSWER
    speaker = state.speaker
    state = act(act(act(state, speaker, FinishAnswer()), speaker, CloseResponses()),
                speaker, EndTurn())
    assert state.phase is Phase.READY_CHECK


def test_ease_back_takes_effect_at_once_with_no_name(three):
    state = everyone_votes(play_until_check(three))
    state = act(state, state.drawer, Draw(tier="glow"))
    assert state.turn.card.tier == "glow"
    eased, events = apply(state, 2, EaseBack())
    assert eased.open_tiers == 1 and eased.turn is None and eased.phase is Phase.DRAW
    assert all("by" not in e.data and "seat" not in e.data for e in events)
    assert eased.lit == state.lit  # the lamp never goes down


def test_going_deeper_again_needs_a_new_all_ready_check(three):
    state = everyone_votes(play_until_check(three))
    state = act(state, 1, EaseBack())
    with pytest.raises(IllegalAction):
        apply(state, state.drawer, Draw(tier="glow"))
    state = act(state, 0, ProposeDeeper())
    assert state.phase is Phase.READY_CHECK
    state = everyone_votes(state)
    assert state.open_tiers == 2


def test_ease_back_at_the_lightest_tier_is_refused(three):
    with pytest.raises(IllegalAction) as err:
        apply(three, 1, EaseBack())
    assert err.value.code == "tier/lightest"


def test_an_away_seat_counts_as_not_yet(three):
    state = play_until_check(three)
    state = act(state, 2, SetAway(away=True))
    state = act(state, 0, ReadyVote(ready=True))
    state = act(state, 1, ReadyVote(ready=True))
    assert state.open_tiers == 1 and state.phase is Phase.DRAW


def test_the_lamp_never_goes_down(three):
    state = play_until_check(three)
    lit = state.lit
    state = act(everyone_votes(state, ready=False), 0, EaseBack()) if state.open_tiers > 1 \
        else everyone_votes(state, ready=False)
    assert state.lit == lit


def test_any_seat_may_star_the_card_on_the_table_once(three):
    state = act(three, 0, Draw(tier="spark"))
    state = act(state, 1, Star())
    state = act(state, 0, Star())
    assert len(state.stars) == 2
    with pytest.raises(IllegalAction) as err:
        apply(state, 1, Star())
    assert err.value.code == "star/already"
    with pytest.raises(IllegalAction):
        apply(three, 0, Star())
