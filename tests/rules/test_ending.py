"""DESIGN 1.7: last light, the closing ritual, sealed notes, the recap."""

from __future__ import annotations

import pytest
from rulekit import act, game, make_deck, plain_turn

from game.rules import (
    Appreciate,
    Draw,
    FinishClosing,
    IllegalAction,
    LastLightVote,
    Phase,
    ProposeLastLight,
    apply,
    recap,
    view_for,
)


def test_last_light_begins_the_closing_only_when_everyone_agrees(three):
    state = act(three, 1, ProposeLastLight())
    state = act(state, 0, LastLightVote(agree=True))
    assert state.phase is Phase.DRAW
    state = act(state, 2, LastLightVote(agree=True))
    assert state.phase is Phase.CLOSING


def test_one_no_to_last_light_drops_the_proposal(three):
    state = act(act(three, 1, ProposeLastLight()), 2, LastLightVote(agree=False))
    assert state.last_light is None and state.phase is Phase.DRAW
    assert act(state, 0, ProposeLastLight()).last_light is not None


def _closing(seats=3):
    state = game(seats)
    state = act(state, 0, ProposeLastLight())
    for seat in range(1, seats):
        state = act(state, seat, LastLightVote(agree=True))
    return state


def test_each_seat_in_turn_tells_another_what_they_appreciated():
    state = _closing()
    assert state.closing.order == (0, 1, 2)
    with pytest.raises(IllegalAction) as err:
        apply(state, 1, Appreciate(to=0, text="You listened."))
    assert err.value.code == "closing/not_your_turn"
    with pytest.raises(IllegalAction):
        apply(state, 0, Appreciate(to=0, text="Me!"))
    state = act(state, 0, Appreciate(to=1, text="You made me laugh."))
    state = act(state, 0, FinishClosing())
    state = act(state, 1, Appreciate(to=2, text="You asked the best question."))
    state = act(state, 1, FinishClosing())
    state = act(state, 2, FinishClosing())
    assert state.phase is Phase.ENDED


def test_sealed_notes_are_delivered_only_at_the_end_and_only_to_their_reader():
    state = _closing()
    state = act(state, 0, Appreciate(to=2, text="Sealed words for you.", sealed=True))
    for seat in (1, 2):
        view = view_for(state, seat)
        assert "Sealed words" not in repr(view)
    state = act(state, 0, FinishClosing())
    state = act(act(state, 1, FinishClosing()), 2, FinishClosing())
    assert view_for(state, 2)["sealed_notes"] == [{"by": 0, "text": "Sealed words for you."}]
    assert "Sealed words" not in repr(view_for(state, 1))


def test_the_game_closes_by_itself_when_the_open_piles_run_out():
    state = game(2, deck=make_deck(per_tier=2), everyone_answers=False)
    state = plain_turn(plain_turn(state))
    assert state.phase is Phase.CLOSING


def test_the_recap_counts_cards_bulbs_stars_and_plans(three):
    state = plain_turn(three, bulbs_for=(1, 2))
    state = plain_turn(state, bulbs_for=(2,))
    data = recap(state, duration_s=1800)
    assert data["duration_s"] == 1800.0
    assert data["cards_per_tier"] == {"spark": 2, "glow": 0, "hearth": 0}
    assert data["lit"] == 3
    assert data["bulbs_by_seat"] == [0, 1, 2]
    assert data["plans"] == [] and data["starred"] == []


def test_nothing_more_happens_after_the_end():
    state = _closing(2)
    state = act(act(state, 0, FinishClosing()), 1, FinishClosing())
    with pytest.raises(IllegalAction) as err:
        apply(state, 0, Draw())
    assert err.value.code == "game/over"


def test_the_recap_counts_wild_cards_played_too():
    from rulekit import draw_card

    from game.rules import WILD_KINDS, EndTurn, SavePlan

    state = game(3, deck=make_deck(wild=WILD_KINDS))
    state = draw_card(state, "wild-plan_together")
    state = act(act(state, 0, SavePlan(text="Soup night")), 0, EndTurn())
    state = plain_turn(state)
    data = recap(state)
    assert data["cards_shared"] == 2 and data["cards_per_tier"]["spark"] == 2
    assert data["shared_cards"][0] == "wild-plan_together"
