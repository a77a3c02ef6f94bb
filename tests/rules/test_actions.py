"""Actions as plain data: the form they take in the protocol and the store."""

from __future__ import annotations

import pytest
from rulekit import act, game, make_deck, plain_turn

from game.rules import (
    ALL_ACTIONS,
    AskFollowUp,
    Draw,
    FinishAnswer,
    IllegalAction,
    MalformedAction,
    ReadyVote,
    Star,
    apply,
    from_dict,
    is_stale,
    to_dict,
    with_text_restored,
    without_text,
)


def test_every_action_survives_a_round_trip_through_a_dict():
    for cls in ALL_ACTIONS:
        action = cls()
        assert from_dict(to_dict(action)) == action


@pytest.mark.parametrize("data, code", [
    ([1, 2], "action/not_a_map"),
    ({"type": "fly"}, "action/unknown_type"),
    ({"type": "draw", "colour": "red"}, "action/unknown_field"),
    ({"type": "light_bulb", "to": "1"}, "action/bad_field"),
    ({"type": "light_bulb", "to": True}, "action/bad_field"),
    ({"type": "ready_vote", "ready": 1}, "action/bad_field"),
])
def test_malformed_actions_are_told_apart_from_illegal_ones(data, code):
    with pytest.raises(MalformedAction) as err:
        from_dict(data)
    assert err.value.code == code and err.value.message


def test_the_storable_form_keeps_the_length_of_typed_text_never_the_words():
    action = FinishAnswer(text="My grandmother's kitchen")
    stored = without_text(action)
    assert stored == {"type": "finish_answer", "text": 24}
    assert "grandmother" not in repr(stored)
    restored = with_text_restored(stored)
    assert isinstance(restored, FinishAnswer) and restored.text  # placeholder, not empty
    assert with_text_restored(without_text(FinishAnswer())) == FinishAnswer()


def test_replaying_stored_actions_reaches_the_same_lamp(three):
    log = []
    state = three
    for seat, action in [(0, Draw()), (0, FinishAnswer(text="a long answer")),
                         (1, AskFollowUp(text="why that one?"))]:
        state = act(state, seat, action)
        log.append((seat, with_text_restored(without_text(action))))
    from game.rules import replay

    again = replay(three.deck, three.settings, three.seed, log)
    assert again.phase == state.phase and again.lit == state.lit
    assert len(again.turn.follow_ups) == 1


def test_over_long_text_is_refused_with_the_limit(three):
    state = act(three, 0, Draw())
    with pytest.raises(IllegalAction) as err:
        apply(state, 0, FinishAnswer(text="x" * 2001))
    assert err.value.code == "text/too_long" and "2000" in err.value.message


def test_an_empty_pile_cannot_be_picked():
    from dataclasses import replace

    state = game(3, deck=make_deck(per_tier=3))
    state = replace(state, open_tiers=2, piles=(state.piles[0], (), state.piles[2]))
    with pytest.raises(IllegalAction) as err:
        apply(state, 0, Draw(tier="glow"))
    assert err.value.code == "draw/empty"


def test_a_stale_action_is_one_based_on_a_table_that_has_moved_on(three):
    drawn = act(three, 0, Draw())
    answered = act(drawn, 0, FinishAnswer())
    seen = answered.version
    # two listeners act on the same view: the second is not stale
    once = act(answered, 1, AskFollowUp(text="How?"))
    assert not is_stale(once, seen)
    starred = act(once, 2, Star())
    assert not is_stale(starred, seen)
    # a view from before the answer would now mean something else
    assert is_stale(once, drawn.version)
    # and a version from the future is refused too
    assert is_stale(once, once.version + 1)


def test_ready_votes_of_different_seats_on_one_view_all_count(three):
    from rulekit import play_until_check

    state = play_until_check(three)
    seen = state.version
    for seat in (0, 1, 2):
        assert not is_stale(state, seen)
        state = act(state, seat, ReadyVote(ready=True))
    assert state.open_tiers == 2


def test_plain_turn_helper_moves_the_speaker(three):
    assert plain_turn(three).speaker == 1


def test_a_new_closer_makes_older_views_stale():
    from game.rules import Appreciate, FinishClosing, LastLightVote, ProposeLastLight

    state = act(act(game(2), 0, ProposeLastLight()), 1, LastLightVote(agree=True))
    seen = state.version
    state = act(state, 0, Appreciate(to=1, text="thank you"))
    assert not is_stale(state, seen)
    state = act(state, 0, FinishClosing())
    assert is_stale(state, seen)
