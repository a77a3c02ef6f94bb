"""DESIGN 1.6: pass, ease back, pause, leave, away speakers."""

from __future__ import annotations

import pytest
from rulekit import act, everyone_votes, game, plain_turn, play_until_check

from game.rules import (
    AskFollowUp,
    CloseResponses,
    Draw,
    EndTurn,
    FinishAnswer,
    IllegalAction,
    Leave,
    Pause,
    Phase,
    ReadyVote,
    Resume,
    SetAway,
    SkipTurn,
    apply,
    view_for,
)


def test_a_pause_stops_the_table_until_the_one_who_paused_resumes(three):
    state, events = apply(three, 2, Pause())
    assert [e.to_dict() for e in events] == [{"type": "paused"}]
    with pytest.raises(IllegalAction) as err:
        apply(state, 0, Draw())
    assert err.value.code == "game/paused"
    with pytest.raises(IllegalAction) as err:
        apply(state, 0, Resume())
    assert err.value.code == "pause/not_yours"
    state = act(state, 2, Resume())
    assert act(state, 0, Draw()).phase is Phase.ANSWER


def test_anyone_may_resume_after_the_wait_the_shell_enforces(three):
    state = act(three, 2, Pause())
    assert act(state, 0, Resume(after_wait=True)).paused_by is None


def test_nobody_else_learns_who_paused(three):
    state = act(three, 2, Pause())
    assert view_for(state, 0)["paused"] and not view_for(state, 0)["i_paused"]
    assert view_for(state, 2)["i_paused"]


def test_a_listener_leaving_lets_the_game_go_on(three):
    state = act(act(three, 0, Draw()), 0, FinishAnswer())
    state = act(state, 2, Leave())
    assert state.active == (0, 1) and state.phase is Phase.RESPOND
    with pytest.raises(IllegalAction) as err:
        apply(state, 2, AskFollowUp(text="Still here?"))
    assert err.value.code == "seat/left"
    state = plain_turn(act(act(state, 0, CloseResponses()), 0, EndTurn()))
    assert state.speaker == 0  # seat 2 is skipped in the rotation


def test_the_speaker_leaving_returns_an_unanswered_card_and_play_moves_on(three):
    state = act(three, 0, Draw())
    card = state.turn.card.id
    state = act(state, 0, Leave())
    assert state.phase is Phase.DRAW and state.speaker == 1
    assert state.piles[0][-1] == card


def test_the_game_ends_when_fewer_than_two_remain(two):
    state = act(two, 1, Leave())
    assert state.phase is Phase.ENDED


def test_thresholds_follow_the_seats_still_playing(three):
    state = act(three, 2, Leave())
    assert state.threshold(1) == 4


def test_a_ready_check_settles_when_a_seat_leaves(three):
    state = play_until_check(three)
    state = act(act(state, 0, ReadyVote(ready=True)), 1, ReadyVote(ready=True))
    state = act(state, 2, Leave())
    assert state.open_tiers == 2


def test_the_others_may_skip_an_away_speakers_turn():
    state = game(3)
    with pytest.raises(IllegalAction) as err:
        apply(state, 1, SkipTurn())
    assert err.value.code == "turn/speaker_present"
    state = act(state, 0, SetAway(away=True))
    state = act(state, 1, SkipTurn())
    assert state.speaker == 1


def test_a_pauser_who_leaves_lifts_the_pause(three):
    state = act(act(three, 1, Pause()), 1, Leave())
    assert state.paused_by is None


def test_votes_after_leaving_do_not_count(three):
    state = everyone_votes(play_until_check(three), except_={2: False})
    assert state.open_tiers == 1
