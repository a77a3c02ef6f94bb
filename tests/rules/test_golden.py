"""Golden games: whole sessions as data, replayed action by action.

Like perft files for chess move generators: each JSON file in golden/ holds
the actions of a recorded game and, after every action, the lamp, the open
tiers, the phase and the speaker. Any change to the rules that moves one of
these numbers shows up here (re-record with golden/record.py only when the
change is intended).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rulekit import make_deck

from game.rules import Settings, apply, from_dict, new_game, replay

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.json"))


def test_there_are_at_least_three_golden_games():
    assert len(GOLDEN) >= 3


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_a_golden_game_replays_to_the_recorded_lamp_tiers_and_phases(path):
    data = json.loads(path.read_text())
    spec = data["deck"]
    deck = make_deck(per_tier=spec["per_tier"], unlock=tuple(spec["unlock"]),
                     wild=tuple(spec["wild"]))
    settings = Settings(names=tuple(data["seats"]), everyone_answers=data["everyone_answers"])
    state = new_game(deck, settings, data["seed"])
    log = []
    for number, step in enumerate(data["steps"]):
        action = from_dict(step["action"])
        state, _ = apply(state, step["seat"], action)
        log.append((step["seat"], action))
        seen = {"lit": state.lit, "open_tiers": state.open_tiers, "phase": state.phase.value,
                "speaker": state.speaker, "turns_done": state.turns_done}
        assert seen == step["expect"], f"{path.name}: after action {number} ({step['action']})"
    final = data["final"]
    assert state.phase.value == final["phase"] == "ended"
    assert state.lit == final["lit"] and list(state.unlocked) == final["unlocked"]
    assert list(state.plans) == final["plans"]
    assert replay(deck, settings, data["seed"], log) == state
