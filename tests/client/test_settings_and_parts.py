"""Settings that persist, the postcard, sound without a mixer, the pygame-ce check,
the lamp's animations and the demo command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pygame
import pytest

from game.client import app as app_module
from game.client.app import App
from game.client.config import UserSettings, config_path, load_settings, save_settings
from game.client.driver import Driver


def test_settings_chosen_on_screen_are_saved_and_applied(app: App,
                                                         user_folders: Path) -> None:
    d = Driver(app)
    d.click("Settings")
    d.expect("settings")
    d.click("font")
    d.click("contrast")
    d.click("motion")
    d.click("quieter")
    path = config_path()
    assert str(path).startswith(str(user_folders))
    saved = json.loads(path.read_text())
    assert saved["font_scale"] == 1.25
    assert saved["high_contrast"] is True and saved["reduced_motion"] is True
    assert saved["volume"] == 0.4
    assert app.palette.background == (0, 0, 0)
    assert d.offscreen() == []
    d.press(pygame.K_ESCAPE)
    d.expect("title")
    assert load_settings() == app.user


def test_damaged_or_odd_settings_files_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    assert load_settings(path) == UserSettings()
    path.write_text(json.dumps({"font_scale": "huge", "volume": 7, "fullscreen": 1}))
    loaded = load_settings(path)
    assert loaded.font_scale == 1.0 and loaded.volume == 1.0 and loaded.fullscreen is False
    save_settings(UserSettings(font_scale=1.5), path)
    assert load_settings(path).font_scale == 1.5


def test_the_recap_saves_a_postcard_where_the_player_chooses(app: App, tmp_path: Path) -> None:
    from game.client.demo import script

    script(app, lambda name: None, with_online=False)
    d = Driver(app)
    d.expect("recap")
    folder = tmp_path / "my postcards"
    d.widget("folder").set_text("")
    d.type("folder", str(folder))
    d.click("save")
    files = list(folder.glob("heartlight-*.png"))
    assert len(files) == 1
    picture = pygame.image.load(str(files[0]))
    assert picture.get_size() == (1200, 800)
    assert app.user.postcard_folder == str(folder)


def test_sound_is_silent_but_harmless_without_a_mixer(monkeypatch: pytest.MonkeyPatch) -> None:
    from game.client import sound

    def broken(*args: object, **kwargs: object) -> None:
        raise pygame.error("no audio device")

    monkeypatch.setattr(pygame.mixer, "get_init", lambda: None)
    monkeypatch.setattr(pygame.mixer, "init", broken)
    sounds = sound.Sounds(volume=1.0)
    assert sounds.available is False
    sounds.play("bulb")
    sounds.play("unlock")


def test_chime_samples_are_16_bit_and_fade_out() -> None:
    from game.client.sound import chime_samples

    samples = chime_samples((880.0,), 0.2, channels=2, rate=8000)
    assert len(samples) == 2 * 1600 and samples.itemsize == 2
    head = max(abs(s) for s in samples[:400])
    tail = max(abs(s) for s in samples[-400:])
    assert head > 1000 and tail < head / 4


def test_a_shadowing_old_pygame_is_explained(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(pygame, "IS_CE", False, raising=False)
    assert app_module.main() == 2
    err = capsys.readouterr().err
    assert "pip uninstall -y pygame" in err and "pip install pygame-ce" in err


def test_the_lamp_celebrates_and_respects_reduced_motion() -> None:
    from game.client.lamp import Lamp

    view = {"seats": [{"bulbs": 1}, {"bulbs": 0}],
            "tiers": [{"threshold": 0, "name": "Spark", "open": True},
                      {"threshold": 4, "name": "Glow", "open": False}]}
    lamp = Lamp()
    assert lamp.sync(view, animate=False) == []     # bulbs already lit are not "new"
    assert lamp.owners == [0]
    view["seats"][1]["bulbs"] = 2
    assert lamp.sync(view) == [1, 2]
    assert lamp.owners == [0, 1, 1]
    assert lamp.update(0.1) is True
    lamp.update(2.0)
    assert lamp.update(0.0) is False
    lamp.reduced_motion = True
    view["seats"][0]["bulbs"] = 2
    lamp.sync(view)
    lamp.start_celebration("Glow")
    assert lamp.update(0.1) is False            # no frames needed for still pictures
    assert lamp.celebrate is not None           # but the golden ring is shown a moment


def test_demo_saves_a_screenshot_of_every_scene(tmp_path: Path) -> None:
    from game.client import demo

    parser = argparse.ArgumentParser()
    demo.add_arguments(parser)
    args = parser.parse_args(["--out", str(tmp_path), "--size", "800x600"])
    assert demo.run(args) == 0
    names = {p.stem.split("-", 1)[1] for p in (tmp_path / "800x600").glob("*.png")}
    for needed in ("title", "setup", "answer", "respond", "acknowledge", "ready-check",
                   "tier-unlocked", "pause", "closing", "recap", "settings",
                   "wild-everyone_answers", "wild-reflect", "wild-gratitude",
                   "wild-dig_deeper", "wild-check_in", "wild-plan_together",
                   "wild-love_languages", "wild-good_news", "join", "lobby", "online-table"):
        assert needed in names, needed


def test_the_demo_module_does_not_import_pygame_at_load() -> None:
    import subprocess
    import sys

    code = ("import sys, game.cli; game.cli.build_parser(); "
            "print('pygame' in sys.modules, 'pygame_gui' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False False"


def test_without_a_display_the_game_says_what_to_do(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(app_module.sys, "platform", "linux")
    monkeypatch.delenv("SDL_VIDEODRIVER", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert app_module.main() == 1
    assert "heartlight play --text" in capsys.readouterr().err
