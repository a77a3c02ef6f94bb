"""A player who taps anything: every phase and wild card of the real decks must
draw without error and always offer something to do."""

from __future__ import annotations

import random

import pygame
import pytest

from game.client.app import App
from game.client.driver import Driver
from game.client.scenes.table import TableScene
from game.client.session import LocalSession
from game.rules import Settings

BAR = {"menu", "pause", "ease_back", "last_light", "star"}


@pytest.mark.parametrize("deck_id,names,seed", [
    ("couples", ("Ana", "Ben"), 1),
    ("friends", ("Ana", "Ben", "Cleo", "Dev"), 2),
    ("sampler", ("Ana", "Ben", "Cleo"), 3),
])
def test_random_taps_never_break_or_strand_the_table(app: App, deck_id: str,
                                                     names: tuple[str, ...], seed: int) -> None:
    from game.client.decks import load

    deck = load(deck_id)  # every deck named here is bundled: a missing one is a failure
    session = LocalSession(deck, Settings(names=names, text_mode=seed == 2), seed=seed)
    app.switch(TableScene(app, session))
    d = Driver(app)
    rng = random.Random(seed)
    phases: set[str] = set()
    kinds: set[str] = set()
    for _ in range(160):
        if app.scene.name != "table":
            break
        view = app.scene.view
        phases.add(view["phase"])
        if view["card"]:
            kinds.add(view["card"]["kind"])
        live = [k for k, w in app.scene.keys.items() if w.is_enabled and k not in BAR
                and not k.startswith(("own_", "answer", "plan", "note", "reflection"))]
        assert live, f"nothing to do in phase {view['phase']} ({view['card']})"
        if "resume" in live and rng.random() < 0.9:
            key = "resume"
        elif rng.random() < 0.02 and app.scene.keys["pause"].is_enabled:
            key = "pause"
        else:
            key = rng.choice(live)
        d.click(key)
        assert d.offscreen() == []
    assert {"draw", "answer"} <= phases
    pygame.event.clear()
