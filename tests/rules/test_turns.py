"""DESIGN 1.1 and 1.4: seats, speakers, and the phases of a turn."""

from __future__ import annotations

import pytest
from rulekit import act, draw_card, game, make_deck, plain_turn

from game.rules import (
    AskFollowUp,
    CloseResponses,
    ConfirmReflection,
    Draw,
    EndTurn,
    FinishAnswer,
    IllegalAction,
    LightBulb,
    NothingToAdd,
    Pass,
    Phase,
    Reflect,
    SetupError,
    Veto,
    apply,
)


def test_a_game_seats_two_to_eight_players():
    for seats in (2, 5, 8):
        assert len(game(seats).seats) == seats
    for seats in (1, 9):
        with pytest.raises(SetupError) as err:
            game(seats)
        assert err.value.code == "setup/seats"


def test_names_lose_control_characters_and_must_be_visible():
    from game.rules import Settings, new_game

    state = new_game(make_deck(), Settings(names=("  Ana\x07 ", "Ben")), 1)
    assert state.seats[0].name == "Ana"
    with pytest.raises(SetupError):
        new_game(make_deck(), Settings(names=("\x00 ", "Ben")), 1)
    with pytest.raises(SetupError):
        new_game(make_deck(), Settings(names=("x" * 25, "Ben")), 1)


def test_the_speaker_role_passes_clockwise(three):
    assert three.speaker == 0
    state = plain_turn(three)
    assert state.speaker == 1
    state = plain_turn(plain_turn(state))
    assert state.speaker == 0


def test_only_the_speaker_draws(three):
    with pytest.raises(IllegalAction) as err:
        apply(three, 1, Draw())
    assert err.value.code == "turn/not_speaker"


def test_the_default_draw_is_from_the_deepest_open_tier(three):
    from dataclasses import replace

    state = replace(three, open_tiers=2)
    state = act(state, 0, Draw())
    assert state.turn.card.tier == "glow"


def test_a_locked_tier_cannot_be_drawn(three):
    with pytest.raises(IllegalAction) as err:
        apply(three, 0, Draw(tier="glow"))
    assert err.value.code == "draw/locked"


def test_a_pass_sends_the_card_to_the_bottom_and_the_speaker_draws_again(three):
    state = act(three, 0, Draw(tier="spark"))
    card = state.turn.card.id
    state = act(state, 0, Pass())
    assert state.phase is Phase.DRAW and state.speaker == 0
    assert state.piles[0][-1] == card
    # unlimited: pass five times in a row
    for _ in range(5):
        state = act(act(state, 0, Draw()), 0, Pass())
    assert state.phase is Phase.DRAW and state.speaker == 0


def test_a_listener_can_veto_before_the_answer_but_not_after(three):
    state = act(three, 0, Draw(tier="spark"))
    card = state.turn.card.id
    vetoed, events = apply(state, 2, Veto())
    assert vetoed.piles[0][-1] == card and vetoed.phase is Phase.DRAW
    assert all("by" not in e.data and "seat" not in e.data for e in events)
    with pytest.raises(IllegalAction) as err:
        apply(state, 0, Veto())
    assert err.value.code == "turn/not_listener"
    answered = act(state, 0, FinishAnswer())
    with pytest.raises(IllegalAction):
        apply(answered, 2, Veto())


def test_follow_ups_are_suggested_or_free_and_at_most_three(three):
    state = act(act(three, 0, Draw(tier="spark")), 0, FinishAnswer(text="my answer"))
    assert state.phase is Phase.RESPOND
    state = act(state, 1, AskFollowUp(suggestion=1))
    assert state.turn.follow_ups[0].text == state.turn.card.follow_ups[1]
    state = act(state, 2, AskFollowUp(text="And then?"))
    state = act(state, 1, AskFollowUp(text="Why there?"))
    with pytest.raises(IllegalAction) as err:
        apply(state, 2, AskFollowUp(text="One more?"))
    assert err.value.code == "follow_up/limit"
    with pytest.raises(IllegalAction):
        apply(state, 0, AskFollowUp(text="Asking myself?"))


def test_an_empty_follow_up_is_refused(three):
    state = act(act(three, 0, Draw(tier="spark")), 0, FinishAnswer())
    with pytest.raises(IllegalAction) as err:
        apply(state, 1, AskFollowUp(text="   "))
    assert err.value.code == "follow_up/empty"


def test_the_speaker_closes_responses_or_every_listener_has_nothing_to_add(three):
    state = act(act(three, 0, Draw(tier="spark")), 0, FinishAnswer())
    closed = act(state, 0, CloseResponses())
    assert closed.phase is Phase.ACKNOWLEDGE
    state = act(state, 1, NothingToAdd())
    assert state.phase is Phase.RESPOND
    state = act(state, 2, NothingToAdd())
    assert state.phase is Phase.ACKNOWLEDGE


def _acknowledging(state, *, follow_ups=(), reflect=None, confirm=True):
    state = act(act(state, 0, Draw(tier="spark")), 0, FinishAnswer())
    for seat in follow_ups:
        state = act(state, seat, AskFollowUp(suggestion=0))
    if reflect is not None:
        state = act(state, reflect, Reflect(text="What I heard is..."))
        state = act(state, 0, ConfirmReflection(by=reflect, fits=confirm))
    return act(state, 0, CloseResponses())


def test_heard_is_at_most_one_bulb_per_listener_per_turn(three):
    state = _acknowledging(three)
    state = act(state, 0, LightBulb(to=1, reason="heard"))
    assert state.lit == 1
    with pytest.raises(IllegalAction) as err:
        apply(state, 0, LightBulb(to=1, reason="heard"))
    assert err.value.code == "bulb/limit"


def test_follow_up_bulbs_match_the_follow_ups_that_listener_asked(three):
    state = _acknowledging(three, follow_ups=(1, 1, 2))
    state = act(state, 0, LightBulb(to=1, reason="follow_up"))
    state = act(state, 0, LightBulb(to=1, reason="follow_up"))
    state = act(state, 0, LightBulb(to=2, reason="follow_up"))
    assert state.lit == 3
    for seat in (1, 2):
        with pytest.raises(IllegalAction):
            apply(state, 0, LightBulb(to=seat, reason="follow_up"))


def test_a_reflection_bulb_needs_a_confirmed_reflection(three):
    state = _acknowledging(three, reflect=1, confirm=True)
    state = act(state, 0, LightBulb(to=1, reason="reflection"))
    assert state.lit == 1
    with pytest.raises(IllegalAction):
        apply(state, 0, LightBulb(to=1, reason="reflection"))
    not_quite = _acknowledging(three, reflect=2, confirm=False)
    with pytest.raises(IllegalAction):
        apply(not_quite, 0, LightBulb(to=2, reason="reflection"))


def test_the_speaker_never_lights_their_own_bulb_and_may_light_none(three):
    state = _acknowledging(three)
    with pytest.raises(IllegalAction) as err:
        apply(state, 0, LightBulb(to=0, reason="heard"))
    assert err.value.code == "bulb/self"
    state = act(state, 0, EndTurn())
    assert state.lit == 0 and state.speaker == 1


def test_listeners_cannot_light_bulbs(three):
    state = _acknowledging(three)
    with pytest.raises(IllegalAction) as err:
        apply(state, 1, LightBulb(to=2, reason="heard"))
    assert err.value.code == "turn/not_speaker"


def test_actions_out_of_their_phase_are_refused_with_a_sentence(three):
    with pytest.raises(IllegalAction) as err:
        apply(three, 0, EndTurn())
    assert err.value.code == "phase/not_now"
    assert "draw" in err.value.message


def test_everyone_answers_gives_each_seat_a_sub_turn_starting_with_the_drawer(two):
    assert two.settings.everyone_answers_on  # default on for two seats
    state = act(two, 0, Draw(tier="spark"))
    card = state.turn.card.id
    assert state.turn.answerers == (0, 1)
    state = act(act(state, 0, FinishAnswer()), 0, CloseResponses())
    state = act(state, 0, LightBulb(to=1, reason="heard"))
    state = act(state, 0, EndTurn())
    assert state.phase is Phase.ANSWER and state.speaker == 1 and state.turn.card.id == card
    state = act(act(state, 1, FinishAnswer()), 1, CloseResponses())
    state = act(state, 1, LightBulb(to=0, reason="heard"))
    state = act(state, 1, EndTurn())
    assert state.lit == 2 and state.speaker == 1 and state.phase is Phase.DRAW
    assert [a.seat for a in state.answered] == [0, 1]


def test_everyone_answers_is_off_by_default_for_more_seats_and_can_be_set():
    assert not game(3).settings.everyone_answers_on
    assert game(3, everyone_answers=True).settings.everyone_answers_on
    assert not game(2, everyone_answers=False).settings.everyone_answers_on


def test_a_later_answerer_may_pass_their_own_answer(two):
    state = act(two, 0, Draw(tier="spark"))
    state = act(act(state, 0, FinishAnswer()), 0, CloseResponses())
    state = act(state, 0, EndTurn())
    state = act(state, 1, Pass())
    assert state.phase is Phase.DRAW and state.speaker == 1
    assert state.turns_done == 1


def test_drawing_a_specific_card_helper_works(three):
    state = draw_card(three, "spark-05")
    assert state.turn.card.id == "spark-05"


def test_a_follow_up_asked_aloud_counts_without_words(three):
    state = act(act(three, 0, Draw(tier="spark")), 0, FinishAnswer())
    state = act(state, 1, AskFollowUp(aloud=True))
    assert state.turn.follow_ups[0].aloud and state.turn.follow_ups[0].text == ""
    with pytest.raises(IllegalAction) as err:
        apply(state, 2, AskFollowUp(aloud=True, text="words too"))
    assert err.value.code == "follow_up/aloud"
    state = act(act(state, 0, CloseResponses()), 0, LightBulb(to=1, reason="follow_up"))
    assert state.lit == 1


def test_the_view_tells_the_speaker_which_bulbs_are_still_possible(three):
    from game.rules import view_for

    state = act(act(three, 0, Draw(tier="spark")), 0, FinishAnswer())
    state = act(state, 1, AskFollowUp(suggestion=0))
    state = act(state, 0, CloseResponses())
    assert view_for(state, 0)["legal_bulbs"] == [
        {"to": 1, "reason": "heard"}, {"to": 1, "reason": "follow_up"},
        {"to": 2, "reason": "heard"}]
    assert view_for(state, 1)["legal_bulbs"] == []
    state = act(state, 0, LightBulb(to=1, reason="follow_up"))
    assert {"to": 1, "reason": "follow_up"} not in view_for(state, 0)["legal_bulbs"]
    assert view_for(state, 0)["turn"]["follow_ups"][0]["suggestion"] == 0
