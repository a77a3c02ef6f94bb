"""A whole table-mode game driven only by posted mouse and keyboard events."""

from __future__ import annotations

from typing import Any

import pygame
import pytest

from game.client.app import App
from game.client.config import UserSettings
from game.client.demo import script
from game.client.driver import Driver
from game.rules import (
    AskFollowUp,
    EaseBack,
    LastLightVote,
    LightBulb,
    Pass,
    Pause,
    ProposeLastLight,
    ReadyVote,
    Reflect,
    Resume,
    SavePlan,
    Veto,
)


def _types(log: list[tuple[int, Any]]) -> list[type]:
    return [type(action) for _, action in log]


def test_a_whole_table_game_from_the_title_to_the_recap(app: App) -> None:
    sessions: list[Any] = []

    def shot(name: str) -> None:
        scene = app.scene
        if getattr(scene, "session", None) is not None and scene.session not in sessions:
            sessions.append(scene.session)

    script(app, shot, with_online=False)
    assert app.scene.name == "recap"
    session = app.scene.session
    log = session.log
    kinds = _types(log)
    for needed in (Pass, Veto, AskFollowUp, Reflect, LightBulb, EaseBack, Pause, Resume,
                   SavePlan, ProposeLastLight, LastLightVote):
        assert needed in kinds, needed
    votes = [a.ready for _, a in log if isinstance(a, ReadyVote)]
    assert votes[:3] == [True, False, True]            # one "not yet": the tier stays shut
    assert votes[3:6] == [True, True, True]            # then all ready: Glow opened
    assert session.state.unlocked[0] == 1
    recap = app.scene.view["recap"]
    assert recap["lit"] >= 10
    assert recap["plans"] == ["Sunday: pancakes and the lake walk"]
    assert recap["starred"]
    drawn = {session.state.deck.card(c).kind for c in
             [a.card for a in session.state.answered]}
    assert "question" in drawn


def _question_on_top(app: App) -> None:
    """The shuffle is random: put a plain question on top of the first pile."""
    from dataclasses import replace

    session = app.scene.session
    state = session.state
    pile = state.piles[0]
    first = next(c for c in pile if state.deck.card(c).kind == "question")
    piles = ((first, *[c for c in pile if c != first]), *state.piles[1:])
    session.state = replace(state, piles=piles)


def test_keyboard_alone_reaches_the_table_and_plays_a_turn(app: App) -> None:
    d = Driver(app)
    d.frames(1)
    d.press(pygame.K_RETURN)                  # "Play here" has focus on the title
    d.expect("setup")
    d.press(pygame.K_RETURN)                  # "Start" has focus in the setup
    d.expect("table", "draw")
    _question_on_top(app)
    d.press(pygame.K_RETURN)                  # the primary action: draw
    d.expect("table", "answer")
    d.press(pygame.K_TAB)
    assert app.scene.focused_key() == "pass"
    d.press(pygame.K_TAB, pygame.KMOD_SHIFT)
    assert app.scene.focused_key() == "finish"
    d.press(pygame.K_SPACE)
    d.expect("table", "respond")
    # Esc opens the menu (settings) and Esc comes back to the same table
    table = app.scene
    d.press(pygame.K_ESCAPE)
    d.expect("settings")
    d.press(pygame.K_ESCAPE)
    assert app.scene is table
    assert app.keyboard_used


@pytest.mark.parametrize("size,scale,contrast", [
    ((800, 600), 1.0, False),
    ((800, 600), 1.5, True),
    ((1280, 720), 1.5, False),
])
def test_every_control_stays_on_screen(size: tuple[int, int], scale: float,
                                       contrast: bool) -> None:
    app = App(size, user=UserSettings(font_scale=scale, high_contrast=contrast),
              fake_clock=True, sound=False)
    d = Driver(app)
    problems: list[str] = []

    def shot(name: str) -> None:
        off = d.offscreen()
        if off:
            problems.append(f"{name}: {off}")

    try:
        script(app, shot)
    finally:
        pygame.quit()
    assert problems == []


def test_resizing_to_800_by_600_rebuilds_inside_the_window(app: App) -> None:
    d = Driver(app)
    d.click("Play here")
    d.click("start")
    _question_on_top(app)
    d.click(next(k for k in app.scene.keys if k.startswith("draw_")))
    d.resize((800, 600))
    assert app.size == (800, 600)
    assert d.offscreen() == []
    assert app.scene.keys["finish"].get_abs_rect().right <= 800
    d.resize((1280, 720))
    assert d.offscreen() == []


def test_the_idle_table_draws_nothing(app: App) -> None:
    d = Driver(app)
    d.click("Play here")
    d.click("start")
    d.frames(3)
    before = app.frames
    for _ in range(30):
        assert app.step(events=[]) is False
    assert app.frames == before
    # something happens: it draws again
    d.click("pause")
    assert app.frames > before


def test_text_mode_answers_and_follow_ups_are_typed_and_shown(app: App) -> None:
    d = Driver(app)
    d.click("Play here")
    d.click("text_mode")
    d.click("everyone")                       # default -> on
    d.click("everyone")                       # on -> off: one answer per card
    d.click("start")
    _question_on_top(app)
    d.click(next(k for k in app.scene.keys if k.startswith("draw_")))
    d.expect("table", "answer")
    d.type("answer", "Pancakes, every Sunday.")
    d.press(pygame.K_RETURN)                  # Enter in the answer box finishes it
    d.expect("table", "respond")
    view = app.scene.view
    assert view["turn"]["answer_text"] == "Pancakes, every Sunday."
    d.type("own_follow_up", "Who makes them?")
    d.click("ask_own")
    view = app.scene.view
    assert view["turn"]["follow_ups"] == [
        {"by": 1, "text": "Who makes them?", "suggestion": None, "aloud": False}]
    assert view["settings"]["text_mode"] is True


def test_full_screen_can_be_switched_on_and_off(app: App) -> None:
    d = Driver(app)
    d.press(pygame.K_F11)
    assert app.user.fullscreen is True
    assert d.offscreen() == []
    d.press(pygame.K_F11)
    assert app.user.fullscreen is False
    assert app.size == (1280, 720)


def test_a_crowded_panel_says_less_but_keeps_every_control() -> None:
    """800x600, larger text, text mode, three seats, a reflection waiting:
    the explanations give way, the buttons stay."""
    app = App((800, 600), user=UserSettings(font_scale=1.5), fake_clock=True, sound=False)
    d = Driver(app)
    try:
        d.click("Play here")
        d.click("seats_plus")
        d.click("text_mode")
        d.click("start")
        _question_on_top(app)
        d.click(next(k for k in app.scene.keys if k.startswith("draw_")))
        d.click("finish")
        d.expect("table", "respond")
        d.click("seat_2")
        d.type("own_follow_up", "What I heard is: home is a smell.")
        d.click("reflect")
        for key in ("ask_own", "reflect", "nothing", "fits_2", "nofit_2", "close_responses"):
            assert key in app.scene.keys, key
        assert d.offscreen() == []
        d.click("fits_2")
        d.click("close_responses")
        d.expect("table", "acknowledge")
    finally:
        pygame.quit()
