"""DESIGN 1.2 and 1.8: piles, exclusions, seeded shuffling, determinism."""

from __future__ import annotations

import pytest
from rulekit import game, make_deck

from game.rules import SetupError


def test_one_pile_per_tier_shuffled_by_the_seed():
    a, b, c = game(3, seed=5), game(3, seed=5), game(3, seed=6)
    assert a.piles == b.piles
    assert a.piles != c.piles
    assert sorted(a.piles[0]) == sorted(c.piles[0])


def test_cards_with_an_excluded_tag_are_left_out():
    deck = make_deck(tags={"spark-01": frozenset({"loss"}), "glow-02": frozenset({"money"})})
    state = game(3, deck=deck, excluded_tags=frozenset({"loss"}))
    assert "spark-01" not in state.piles[0] and "glow-02" in state.piles[1]


def test_cards_already_answered_in_earlier_sessions_can_be_left_out():
    state = game(3, excluded_cards=frozenset({"spark-03", "hearth-00"}))
    assert "spark-03" not in state.piles[0] and "hearth-00" not in state.piles[2]


def test_excluding_every_first_tier_card_is_a_setup_error():
    deck = make_deck(per_tier=2)
    with pytest.raises(SetupError) as err:
        game(3, deck=deck, excluded_cards=frozenset({"spark-00", "spark-01"}))
    assert err.value.code == "setup/empty"


def test_tier_one_is_open_from_the_start(three):
    assert three.open_tiers == 1 and three.lit == 0 and three.version == 0


def test_derived_values_are_never_carried_over_to_a_new_state(three):
    from rulekit import act

    from game.rules import Draw, Leave

    assert three.speaker == 0 and three.active == (0, 1, 2)  # computed and cached
    drawn = act(three, 0, Draw())
    after = act(drawn, 0, Leave())
    assert after.active == (1, 2) and after.speaker == 1
    assert three.active == (0, 1, 2) and three.speaker == 0
