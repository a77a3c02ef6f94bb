"""The title screen: play here, host or join online, settings, quit."""

from __future__ import annotations

import math

import pygame

from .. import gfx
from ..style import seat_colour, seat_shape
from .base import Column, Scene


class TitleScene(Scene):
    name = "title"

    def build(self) -> None:
        w, h = self.app.size
        bw = min(round(360 * self.u), w - 80)
        bh = round(44 * self.u)
        block = 4 * (bh + round(8 * self.u))
        top = min(int(h * 0.32) + round(86 * self.u), h - block - 12)
        self.title_y = top - round(86 * self.u)
        col = Column(self, pygame.Rect((w - bw) // 2, top, bw, h - top - 20))
        self.button(col.take(bh), "Play here", self.play_here, style="primary",
                    tip="Everyone around this screen")
        self.button(col.take(bh), "Host online", self.host, tip="Start a room others can join")
        self.button(col.take(bh), "Join a room", self.join, tip="Join with a server address and code")
        left, right = col.row(2, bh)
        self.button(left, "Settings", self.settings, style="gentle")
        self.button(right, "Quit", self.app.quit, style="gentle")
        self.set_focus(0)

    def play_here(self) -> None:
        from .setup import SetupScene

        self.app.switch(SetupScene(self.app, mode="table"))

    def host(self) -> None:
        from .setup import SetupScene

        self.app.switch(SetupScene(self.app, mode="host"))

    def join(self) -> None:
        from .lobby import JoinScene

        self.app.switch(JoinScene(self.app))

    def settings(self) -> None:
        from .settings import SettingsScene

        self.app.switch(SettingsScene(self.app, back=lambda: TitleScene(self.app)))

    def on_escape(self) -> None:
        self.app.quit()

    def draw(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        pal = self.app.palette
        cx = w // 2
        ty = self.title_y
        cy = min(int(h * 0.15), ty - round(40 * self.u))
        r = max(12, min(round(min(w, h) * 0.06), (cy - 10) // 2))
        surface.blit(gfx.glow(r * 3, pal.lamp), (cx - r * 3, cy - r * 3))
        pygame.draw.circle(surface, pal.lamp, (cx, cy), r)
        for i in range(8):
            angle = math.pi * (0.15 + 0.7 * i / 7)
            bx = cx - math.cos(angle) * r * 2.1
            by = cy + math.sin(angle) * r * 1.2 + r * 0.4
            gfx.draw_shape(surface, seat_shape(i), (bx, by), r * 0.22, seat_colour(i),
                           pal.background)
        size = round(46 * self.u)
        title = gfx.text("Heartlight", size, pal.text, bold=True)
        surface.blit(title, title.get_rect(center=(cx, ty)))
        sub = gfx.text("Listening well lights the lamp.", round(18 * self.u), pal.soft_text)
        surface.blit(sub, sub.get_rect(center=(cx, ty + size)))
