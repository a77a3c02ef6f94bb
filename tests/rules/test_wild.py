"""DESIGN 1.5: every wild kind, each as the table would play it."""

from __future__ import annotations

import pytest
from rulekit import act, draw_card, game, make_deck, plain_turn

from game.rules import (
    REGISTRY,
    WILD_KINDS,
    AskFollowUp,
    ChooseAnswer,
    ChooseSeat,
    CloseResponses,
    ConfirmGuess,
    ConfirmReflection,
    EndTurn,
    FinishAnswer,
    GuessLoveLanguage,
    IllegalAction,
    LightBulb,
    Pass,
    Phase,
    ReadyVote,
    Reflect,
    SavePlan,
    ShareFeeling,
    apply,
    view_for,
)

DECK = make_deck(wild=WILD_KINDS)


def table(seats: int = 3):
    return game(seats, deck=DECK)


def test_the_registry_holds_the_eight_kinds_of_the_design():
    assert set(WILD_KINDS) == {
        "everyone_answers", "reflect", "gratitude", "dig_deeper", "check_in",
        "plan_together", "love_languages", "good_news",
    }
    for name in WILD_KINDS:
        assert REGISTRY[name].instructions


def test_everyone_answers_gives_every_seat_its_own_answer_and_bulbs():
    state = draw_card(table(3), "wild-everyone_answers")
    assert state.turn.answerers == (0, 1, 2)
    for speaker in (0, 1, 2):
        assert state.speaker == speaker
        state = act(act(state, speaker, FinishAnswer()), speaker, CloseResponses())
        other = (speaker + 1) % 3
        state = act(state, speaker, LightBulb(to=other, reason="heard"))
        state = act(state, speaker, EndTurn())
    assert state.lit == 3 and state.speaker == 1 and state.phase is Phase.DRAW


def test_good_news_is_answered_and_acknowledged_as_usual():
    state = draw_card(table(3), "wild-good_news")
    assert state.phase is Phase.ANSWER and state.turn.answerers == (0,)
    state = act(act(state, 0, FinishAnswer()), 1, AskFollowUp(text="How did it feel?"))
    state = act(state, 0, CloseResponses())
    state = act(act(state, 0, LightBulb(to=1, reason="heard")), 0,
                LightBulb(to=1, reason="follow_up"))
    assert state.lit == 2


def test_reflect_needs_an_earlier_answer_so_it_is_skipped_until_then():
    state = draw_card(table(3), "wild-reflect")
    assert state.turn.card.id != "wild-reflect"  # not playable yet: the next card came


def test_the_seat_left_of_the_speaker_reflects_and_the_previous_speaker_confirms():
    state = plain_turn(table(3))  # seat 0 answered; seat 1 draws
    state = draw_card(state, "wild-reflect")
    assert state.phase is Phase.ACTIVITY
    activity = view_for(state, 1)["turn"]["activity"]
    assert activity["reflector"] == 2 and activity["previous_speaker"] == 0
    with pytest.raises(IllegalAction):
        apply(state, 1, Reflect(text="I heard..."))
    state = act(state, 2, Reflect(text="What I heard is..."))
    state = act(state, 0, ConfirmReflection(by=2, fits=False))
    assert state.lit == 0
    state = act(state, 2, Reflect(text="Let me try again..."))
    state = act(state, 0, ConfirmReflection(by=2, fits=True))
    assert state.lit == 1 and state.bulbs[-1].to == 2 and state.bulbs[-1].reason == "reflection"
    state = act(state, 1, EndTurn())
    assert state.speaker == 2


def test_with_two_seats_the_speaker_reflects_the_other_answer():
    state = game(2, deck=DECK, everyone_answers=False)
    state = plain_turn(state)  # seat 0 answered
    state = draw_card(state, "wild-reflect")
    assert view_for(state, 1)["turn"]["activity"]["reflector"] == 1


def test_gratitude_lets_the_chosen_seat_light_seen_for_the_speaker():
    state = draw_card(table(3), "wild-gratitude")
    with pytest.raises(IllegalAction):
        apply(state, 0, ChooseSeat(seat=0))
    state = act(state, 0, ChooseSeat(seat=2))
    with pytest.raises(IllegalAction):
        apply(state, 1, LightBulb(to=0, reason="seen"))
    state = act(state, 2, LightBulb(to=0, reason="seen"))
    assert state.bulbs[-1].to == 0 and state.bulbs[-1].reason == "seen"
    with pytest.raises(IllegalAction):
        apply(state, 2, LightBulb(to=0, reason="seen"))
    assert act(state, 0, EndTurn()).speaker == 1


def test_dig_deeper_asks_an_earlier_answerer_who_may_light_follow_up():
    state = plain_turn(table(3))  # seat 0 answered
    state = draw_card(state, "wild-dig_deeper")
    with pytest.raises(IllegalAction):
        apply(state, 1, AskFollowUp(text="Before picking?"))
    state = act(state, 1, ChooseAnswer(index=0))
    state = act(state, 1, AskFollowUp(text="What happened next?"))
    with pytest.raises(IllegalAction):
        apply(state, 2, LightBulb(to=1, reason="follow_up"))
    state = act(state, 0, LightBulb(to=1, reason="follow_up"))
    assert state.lit == 1 and state.bulbs[-1].to == 1


def test_dig_deeper_cannot_pick_the_speakers_own_answer():
    state = plain_turn(plain_turn(plain_turn(table(3))))  # back to seat 0
    state = draw_card(state, "wild-dig_deeper")
    with pytest.raises(IllegalAction) as err:
        apply(state, 0, ChooseAnswer(index=0))
    assert err.value.code == "dig/bad_answer"


def test_check_in_brings_a_fresh_ready_check_when_the_lamp_allows():
    from dataclasses import replace

    from game.rules.state import Bulb

    state = table(3)
    bulbs = tuple(Bulb(to=1, by=0, reason="heard", card="x", turn=-1) for _ in range(6))
    state = replace(state, bulbs=bulbs, check_cooldown=99)  # a failed check just happened
    state = draw_card(state, "wild-check_in")
    for seat in (0, 1, 2):
        state = act(state, seat, ShareFeeling())
    with pytest.raises(IllegalAction):
        apply(state, 1, ShareFeeling())
    state = act(state, 0, EndTurn())
    assert state.phase is Phase.READY_CHECK
    for seat in (0, 1, 2):
        state = act(state, seat, ReadyVote(ready=True))
    assert state.open_tiers == 2


def test_plan_together_saves_one_plan_to_the_recap():
    state = draw_card(table(3), "wild-plan_together")
    with pytest.raises(IllegalAction):
        apply(state, 1, SavePlan(text="  "))
    state = act(state, 1, SavePlan(text="Picnic at the lake on Sunday"))
    with pytest.raises(IllegalAction):
        apply(state, 2, SavePlan(text="Another"))
    state = act(state, 0, EndTurn())
    assert state.plans == ("Picnic at the lake on Sunday",)


def test_love_languages_go_round_and_a_fitting_guess_lights_seen():
    state = draw_card(table(3), "wild-love_languages")
    state = act(state, 0, GuessLoveLanguage(target=1, language="time"))
    with pytest.raises(IllegalAction):
        apply(state, 1, GuessLoveLanguage(target=2, language="gifts"))  # wait for the answer
    state = act(state, 1, ConfirmGuess(fits=True))
    assert state.bulbs[-1].to == 0 and state.bulbs[-1].reason == "seen"
    with pytest.raises(IllegalAction) as err:
        apply(state, 1, GuessLoveLanguage(target=2, language="poems"))
    assert err.value.code == "love/bad_language"
    state = act(state, 1, GuessLoveLanguage(target=2, language="touch"))
    state = act(state, 2, ConfirmGuess(fits=False))
    state = act(state, 2, GuessLoveLanguage(target=0, language="words"))
    state = act(state, 0, ConfirmGuess(fits=True))
    assert state.lit == 2
    assert view_for(state, 0)["turn"]["activity"]["guesser"] is None


def test_an_activity_can_be_passed_before_it_starts_but_not_after():
    state = draw_card(table(3), "wild-gratitude")
    passed = act(state, 0, Pass())
    assert passed.phase is Phase.DRAW and passed.piles[0][-1] == "wild-gratitude"
    started = act(state, 0, ChooseSeat(seat=1))
    with pytest.raises(IllegalAction):
        apply(started, 0, Pass())


def test_only_the_drawer_ends_an_activity():
    state = draw_card(table(3), "wild-plan_together")
    with pytest.raises(IllegalAction) as err:
        apply(state, 1, EndTurn())
    assert err.value.code == "turn/not_speaker"
