"""Settings: font size, high contrast, reduced motion, volume, full screen.

Every change is saved at once (JSON in the user config folder) and applied
to the whole window, so the player sees the effect while still here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pygame

from game.journal import Journal, JournalError

from .. import gfx
from ..config import FONT_SCALE_NAMES, FONT_SCALES
from .base import Column, Scene


class SettingsScene(Scene):
    name = "settings"

    def __init__(self, app: Any, back: Callable[[], Any],
                 leave: Callable[[], None] | None = None) -> None:
        """``back`` makes the scene to return to; ``leave`` (from a table) offers
        leaving the game."""
        super().__init__(app)
        self.back = back
        self.leave_game = leave

    def _set(self, **changes: Any) -> None:
        self.app.apply_settings(replace(self.app.user, **changes))

    def build(self) -> None:
        w, h = self.app.size
        user = self.app.user
        bw = min(round(460 * self.u), w - 60)
        col = Column(self, pygame.Rect((w - bw) // 2, round(90 * self.u), bw, h))
        nxt = FONT_SCALES[(FONT_SCALES.index(user.font_scale) + 1) % len(FONT_SCALES)]
        self.button(col.take(), f"Text size: {FONT_SCALE_NAMES[user.font_scale]}",
                    lambda: self._set(font_scale=nxt), key="font")
        contrast, motion = col.row(2)
        self.button(contrast, f"High contrast: {'on' if user.high_contrast else 'off'}",
                    lambda: self._set(high_contrast=not user.high_contrast), key="contrast")
        self.button(motion, f"Less motion: {'on' if user.reduced_motion else 'off'}",
                    lambda: self._set(reduced_motion=not user.reduced_motion), key="motion",
                    tip="Reduced motion: no pulsing or sparkles")
        quieter, label, louder = col.row(3)
        self.button(quieter, "Quieter", lambda: self._volume(-0.2), key="quieter",
                    enabled=user.volume > 0)
        self.volume_rect = label
        self.button(louder, "Louder", lambda: self._volume(0.2), key="louder",
                    enabled=user.volume < 1)
        self.button(col.take(), f"Full screen: {'on' if user.fullscreen else 'off'} (F11)",
                    lambda: self._set(fullscreen=not user.fullscreen), key="fullscreen")
        journal, forget = col.row(2)
        self.button(journal, f"Journal: {'on' if user.journal else 'off'}",
                    lambda: self._set(journal=not user.journal), key="journal",
                    tip="Remember which cards you shared (never what was said), on this "
                        "computer only")
        self.button(forget, "Delete journal", self._delete_journal, key="forget",
                    style="gentle", tip="Forget every evening this computer remembers")
        col.space(round(10 * self.u))
        if self.leave_game is None:
            self.button(col.take(), "Back", self.on_escape, style="primary", key="back")
        else:
            back, leave = col.row(2)
            self.button(back, "Back", self.on_escape, style="primary", key="back")
            self.button(leave, "Leave the game", self.leave_game, style="gentle", key="leave",
                        tip="The game goes on without you if at least two remain")
        if self.focus < 0:
            self.set_focus(0)

    def _delete_journal(self) -> None:
        try:
            Journal().delete()
        except JournalError as exc:
            self.app.toast(str(exc), kind="warning")
            return
        self.app.toast("The journal is deleted.")

    def _volume(self, delta: float) -> None:
        self._set(volume=round(min(1.0, max(0.0, self.app.user.volume + delta)), 2))
        self.app.sounds.play("bulb")

    def on_escape(self) -> None:
        self.app.switch(self.back())

    def draw(self, surface: pygame.Surface) -> None:
        w, _ = surface.get_size()
        pal = self.app.palette
        title = gfx.text("Settings", round(32 * self.u), pal.text, bold=True)
        surface.blit(title, title.get_rect(center=(w // 2, round(55 * self.u))))
        vol = gfx.text(f"Volume {round(self.app.user.volume * 100)}%", round(16 * self.u), pal.text)
        surface.blit(vol, vol.get_rect(center=self.volume_rect.center))
