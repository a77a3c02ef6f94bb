"""`heartlight demo --out DIR`: a scripted table game, headless, with screenshots.

It opens the real app under SDL's dummy drivers and plays the built-in
sampler deck by posting mouse and keyboard events (``driver.Driver``),
saving a PNG of every scene and turn phase: each wild kind, the ready check,
a tier unlock, pause, last light, closing and the recap. The same script,
without pictures, is the client's end-to-end test. Nothing heavy is imported
at module level (the CLI imports this module to build its parser).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: the order the demo's piles are stacked in, so every kind comes up
DEMO_PILES = (
    ("s-spark-1", "s-wild-goodnews", "s-spark-2", "s-wild-everyone", "s-wild-reflect",
     "s-wild-gratitude", "s-spark-3", "s-spark-4"),
    ("s-wild-dig", "s-wild-checkin", "s-wild-plan", "s-wild-love", "s-glow-1", "s-glow-2"),
    ("s-hearth-1", "s-hearth-2"),
)
SIZES = {"1280x720": (1280, 720), "800x600": (800, 600)}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("demo-screenshots"),
                        help="folder for the screenshots (default: ./demo-screenshots)")
    parser.add_argument("--size", choices=[*SIZES, "both"], default="both",
                        help="window size to play at (default: both)")
    parser.add_argument("--high-contrast", action="store_true",
                        help="also play once with the high-contrast theme")


def run(args: argparse.Namespace) -> int:
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "dummy"
    sizes = list(SIZES) if args.size == "both" else [args.size]
    written = 0
    for name in sizes:
        folder = args.out / name
        written += len(play_demo(folder, SIZES[name]))
    if args.high_contrast:
        written += len(play_demo(args.out / "high-contrast", (1280, 720), high_contrast=True))
    print(f"Saved {written} screenshots under {args.out}")
    return 0


def play_demo(folder: Path | None, size: tuple[int, int], *, high_contrast: bool = False,
              font_scale: float = 1.0) -> list[Path]:
    """Play the scripted game; save screenshots into ``folder`` (None: none)."""
    import pygame

    from .app import App
    from .config import UserSettings

    user = UserSettings(high_contrast=high_contrast, font_scale=font_scale)
    # the demo never touches the player's saved settings
    app = App(size, user=user, fake_clock=True, sound=False, persist=False)
    saved: list[Path] = []
    counter = [0]

    def shot(name: str) -> None:
        if folder is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        app.dirty = True
        app.step()
        counter[0] += 1
        path = folder / f"{counter[0]:02d}-{name}.png"
        pygame.image.save(app.screen, str(path))
        saved.append(path)

    try:
        script(app, shot)
    finally:
        pygame.quit()
    return saved


def script(app: Any, shot: Callable[[str], None], *, with_online: bool = True) -> None:
    """The scripted evening (then, with ``with_online``, a visit to an online
    room). Raises DriverError if any step cannot be done."""
    from dataclasses import replace

    import pygame

    from .driver import Driver

    d = Driver(app)
    d.frames(2)
    d.expect("title")
    shot("title")
    d.click("Play here")
    d.expect("setup")
    while app.scene.decks[app.scene.deck_index].id != "sampler":
        d.click("deck_next")
    d.click("seats_plus")
    for i, name in enumerate(("Ana", "Ben", "Cleo")):
        d.type(f"name{i}", name)
    shot("setup")
    d.click("start")
    d.expect("table", "draw")
    session = app.scene.session
    state = session.state
    session.state = replace(state, piles=DEMO_PILES)
    app.scene.rebuild()
    d.frames(1)
    shot("table-draw")

    # Ana: pass one card, the table vetoes the next, then answers the third
    d.click("draw_spark")
    d.expect("table", "answer")
    shot("answer")
    d.click("pass")
    d.click("draw_spark")
    d.expect("table", "answer")
    shot("wild-good_news")
    d.click("veto")
    d.click("draw_spark")
    d.click("star")
    d.click("finish")
    d.expect("table", "respond")
    # Ben asks a suggested follow-up (with large text in a small window the
    # card may have no room for suggestions: then he asks his own)
    d.click("suggest_0" if d.has("suggest_0") else "ask_own")
    d.click("seat_2")                         # Cleo responds now
    d.click("reflect")
    shot("respond")
    d.click("fits_2")
    d.click("close_responses")
    d.expect("table", "acknowledge")
    shot("acknowledge")
    d.click("seat_1")                         # Ben: felt heard
    d.click("seat_2")                         # Cleo: felt heard
    d.click("fu_1")
    d.click("rf_2")
    shot("bulbs-lighting")
    d.click("end_turn")

    # Ben: everyone answers, in turn
    d.expect("table", "draw")
    d.click("draw_spark")
    shot("wild-everyone_answers")
    for _ in range(3):
        d.click("finish")
        d.click("close_responses")
        speaker = app.scene.view["speaker"]
        for seat in range(3):
            if seat != speaker and d.has(f"seat_{seat}"):
                d.click(f"seat_{seat}")
                break
        d.click("end_turn")
    # the lamp crossed Glow's threshold: a ready check, one "not yet"
    d.expect("table", "ready_check")
    shot("ready-check")
    for ready in (True, False, True):
        d.click("reveal")
        if ready is False:
            shot("ready-check-private")
        d.click("ready" if ready else "not_yet")
    d.expect("table", "draw")
    shot("ready-check-not-yet")

    # Cleo: reflect back
    d.click("draw_spark")
    d.expect("table", "activity")
    shot("wild-reflect")
    d.click("reflect")
    d.click("fits")
    d.click("end_turn")

    # Ana: gratitude, chooses Ben, who felt seen
    d.click("draw_spark")
    d.click("seat_1")
    shot("wild-gratitude")
    d.click("seat_1")
    d.click("end_turn")

    # Ben asks to go deeper: everyone ready this time, Glow opens
    d.click("propose_deeper")
    d.expect("table", "ready_check")
    for _ in range(3):
        d.click("reveal")
        d.click("ready")
    d.expect("table", "draw")
    app.step(dt=0.6)
    shot("tier-unlocked")
    d.frames(200)

    # Ben: dig deeper
    d.click("draw_glow")
    d.expect("table", "activity")
    shot("wild-dig_deeper")
    d.click("pick_0")
    d.click("dig_0")
    d.click("seat_0")
    d.click("end_turn")
    _ready_if_asked(d, True)

    # Cleo: check in
    d.click("draw_glow")
    for seat in range(3):
        d.click(f"seat_{seat}")
    shot("wild-check_in")
    d.click("end_turn")
    _ready_if_asked(d, False)

    # Ana: plan together
    d.click("draw_glow")
    d.type("plan", "Sunday: pancakes and the lake walk")
    shot("wild-plan_together")
    d.click("save_plan")
    d.click("end_turn")
    _ready_if_asked(d, False)

    # Ben: love languages
    d.click("draw_glow")
    d.click("seat_2")
    shot("wild-love_languages")
    d.click("lang_time")
    d.click("fits")
    d.click("end_turn")
    _ready_if_asked(d, False)

    # a pause, an ease back, the menu
    d.click("pause")
    shot("pause")
    d.click("resume")
    d.click("ease_back")
    shot("eased-back")
    d.press(pygame.K_ESCAPE)
    d.expect("settings")
    shot("settings")
    d.press(pygame.K_ESCAPE)
    d.expect("table")

    # last light: everyone agrees, the closing, the recap
    d.click("last_light")
    shot("last-light")
    for seat in range(3):
        if d.has(f"seat_{seat}"):
            d.click(f"seat_{seat}")
    d.expect("table", "closing")
    shot("closing")
    for _ in range(3):
        closer = app.scene.view["closing"]["closer"]
        target = (closer + 1) % 3
        d.click(f"seat_{target}")
        d.click("finish_closing")
    d.expect("recap")
    shot("recap")
    if with_online:
        online(app, d, shot)


def online(app: Any, d: Any, shot: Callable[[str], None]) -> None:
    """Join a room on a server started here for the demo: the join form, the
    lobby with its code, and an online table (with the connection badge)."""
    import tempfile

    try:
        from server.app import run_in_thread
    except ImportError:
        return
    from .remote import RemoteSession

    with tempfile.TemporaryDirectory() as folder:
        server = run_in_thread(host="127.0.0.1", port=0, db_path=Path(folder) / "demo.db")
        url = f"ws://127.0.0.1:{server.port}"
        host = RemoteSession(url, names=["Ana"], create={"deck": "friends", "seats": 4},
                             event_type=0)
        try:
            host.wait(lambda s: bool(s.room_code))
            app.scene.on_escape()
            d.click("Join a room")
            d.widget("server").set_text(url)
            d.type("code", host.room_code)
            d.type("names", "Ben, Cleo")
            shot("join")
            d.click("join")
            session = app.scene.session
            session.wait(lambda s: s.lobby is not None and len(s.lobby["seats"]) == 3)
            d.frames(2)
            shot("lobby")
            host.wait(lambda s: s.lobby is not None and len(s.lobby["seats"]) == 3)
            host.start_game()
            session.wait(lambda s: len(s.views) == 2)
            d.frames(3)
            shot("online-table")
        finally:
            scene_session = getattr(app.scene, "session", None)
            if scene_session is not None:
                scene_session.close()
            host.close()
            server.stop()


def _ready_if_asked(d: Any, ready: bool) -> None:
    view = d.scene.view
    while view is not None and view["phase"] == "ready_check" and d.has("reveal"):
        d.click("reveal")
        d.click("ready" if ready else "not_yet")
        view = d.scene.view
