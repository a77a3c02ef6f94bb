"""The lamp at the centre of the table: a warm core and a ring of bulbs.

Each lit bulb wears the colour and shape of the seat who earned it, so seats
stay distinguishable without colour. A new bulb grows in with a soft glow; a
tier unlock sends rings of light out from the core. With reduced motion the
bulb simply appears and the unlock is a still golden ring for a moment.
Glows come from cached sprites; nothing is re-rendered while idle.
"""

from __future__ import annotations

import math
from typing import Any

import pygame

from . import gfx
from .style import Palette, seat_colour, seat_shape

BULB_SECONDS = 0.9
UNLOCK_SECONDS = 2.4


class Lamp:
    def __init__(self) -> None:
        self.owners: list[int] = []       # seat of each lit bulb, in lighting order
        self.counts: list[int] = []
        self.capacity = 6
        self.marks: list[tuple[int, str, bool]] = []  # (threshold, tier name, open)
        self.growing: dict[int, float] = {}           # bulb index -> seconds since lit
        self.celebrate: float | None = None
        self.celebrate_tier = ""
        self.reduced_motion = False

    # -- state ---------------------------------------------------------------------
    def sync(self, view: dict[str, Any], *, animate: bool = True) -> list[int]:
        """Follow the view's bulb counts; returns indexes of bulbs new since last sync."""
        counts = [s["bulbs"] for s in view["seats"]]
        new: list[int] = []
        if len(counts) != len(self.counts) or any(c < k for c, k in zip(counts, self.counts, strict=True)):
            self.owners = [seat for seat, c in enumerate(counts) for _ in range(c)]
        else:
            for seat, (c, k) in enumerate(zip(counts, self.counts, strict=True)):
                for _ in range(c - k):
                    self.owners.append(seat)
                    new.append(len(self.owners) - 1)
        self.counts = counts
        tiers = view["tiers"]
        self.marks = [(t["threshold"], t["name"], t["open"]) for t in tiers[1:]]
        top = max([t for t, _, _ in self.marks] + [len(self.owners), 6])
        self.capacity = top
        if animate:
            for i in new:
                self.growing[i] = 0.0
        return new

    def start_celebration(self, tier_name: str) -> None:
        self.celebrate = 0.0
        self.celebrate_tier = tier_name

    def update(self, dt: float) -> bool:
        """Advance animations by ``dt`` seconds; True while anything moves."""
        if self.growing:
            for i in list(self.growing):
                self.growing[i] += dt
                if self.growing[i] >= BULB_SECONDS:
                    del self.growing[i]
        if self.celebrate is not None:
            self.celebrate += dt
            if self.celebrate >= UNLOCK_SECONDS * (1.5 if self.reduced_motion else 1):
                self.celebrate = None
        if self.reduced_motion:
            self.growing.clear()
            return False  # still pictures: the end of the celebration is a timed redraw
        return bool(self.growing) or self.celebrate is not None

    @property
    def busy(self) -> bool:
        return bool(self.growing) or self.celebrate is not None

    # -- drawing ------------------------------------------------------------------
    def _slot(self, i: int, centre: tuple[int, int], rx: float, ry: float) -> tuple[float, float]:
        # bulbs sit on a ring around the core, open at the bottom, filling clockwise
        gap = math.radians(50)
        a = math.pi / 2 + gap / 2 + (2 * math.pi - gap) * (i + 0.5) / self.capacity
        return centre[0] + rx * math.cos(a), centre[1] + ry * math.sin(a)

    def draw(self, surface: pygame.Surface, rect: pygame.Rect, pal: Palette, u: float) -> None:
        cx, cy = rect.centerx, rect.y + int(rect.height * 0.52)
        rx = min(rect.width * 0.42, rect.height * 0.95)
        ry = rect.height * 0.40
        n = self.capacity
        spacing = min(2 * math.pi * rx, math.pi * (rx + ry)) / max(n, 1)
        br = max(4.0, min(17.0 * u, spacing * 0.34))
        lit = len(self.owners)
        fraction = min(1.0, lit / max(1, n))
        core = max(14, int(ry * 0.55))
        glow_r = int(core * (1.8 + 1.4 * fraction))
        surface.blit(gfx.glow(glow_r, pal.lamp), (cx - glow_r, cy - glow_r))
        pygame.draw.circle(surface, pal.lamp, (cx, cy), core)
        pygame.draw.circle(surface, pal.card, (cx, cy), max(4, core - 5), 2)
        label = gfx.text(str(lit), round(core * 0.9), pal.card_text, bold=True)
        surface.blit(label, label.get_rect(center=(cx, cy)))
        # threshold marks: a short tick outside the ring where a tier can open
        for threshold, _name, is_open in self.marks:
            if 0 < threshold <= n:
                x, y = self._slot(threshold - 1, (cx, cy), rx, ry)
                x2, y2 = self._slot(threshold - 1, (cx, cy), rx + br * 1.9, ry + br * 1.9)
                colour = pal.accent if is_open else pal.soft_text
                pygame.draw.line(surface, colour, (x, y), (x2, y2), 2)
                # a pin head, so the mark reads as a milestone, not a stray line
                pygame.draw.circle(surface, colour, (round(x2), round(y2)), max(3, round(br * 0.3)))
        for i in range(n):
            x, y = self._slot(i, (cx, cy), rx, ry)
            if i >= lit:
                pygame.draw.circle(surface, pal.bulb_off, (x, y), br * 0.7)
                continue
            seat = self.owners[i]
            grow = self.growing.get(i)
            scale = 1.0
            if grow is not None:
                t = grow / BULB_SECONDS
                scale = 0.3 + 0.7 * min(1.0, t * 2) + 0.25 * math.sin(math.pi * t)
                halo = int(br * (3 + 3 * math.sin(math.pi * t)))
                surface.blit(gfx.glow(halo, seat_colour(seat)), (x - halo, y - halo))
            else:
                halo = int(br * 2.2)
                surface.blit(gfx.glow(halo, seat_colour(seat)), (x - halo, y - halo))
            gfx.draw_shape(surface, seat_shape(seat), (x, y), br * scale, seat_colour(seat),
                           pal.background)
        if self.celebrate is not None:
            self._draw_celebration(surface, (cx, cy), core, rx, pal, u)

    def _draw_celebration(self, surface: pygame.Surface, centre: tuple[int, int], core: int,
                          rx: float, pal: Palette, u: float) -> None:
        t = self.celebrate or 0.0
        cx, cy = centre
        if self.reduced_motion:
            pygame.draw.circle(surface, pal.accent, centre, int(core * 1.6), 3)
        else:
            for k in range(3):
                p = (t / UNLOCK_SECONDS) * 1.3 - k * 0.18
                if 0 < p < 1:
                    r = int(core + (rx * 1.2) * p)
                    width = max(1, int(6 * (1 - p)))
                    pygame.draw.circle(surface, pal.lamp, centre, r, width)
            for k in range(14):
                a = 2 * math.pi * k / 14 + t * 0.6
                d = core + rx * 0.9 * min(1.0, t / (UNLOCK_SECONDS * 0.7))
                sx, sy = cx + d * math.cos(a), cy + d * math.sin(a) * 0.7
                gfx.draw_shape(surface, "star", (sx, sy), 5 * u, pal.accent)
        label = gfx.text(f"{self.celebrate_tier} is open", round(20 * u), pal.card_text, bold=True)
        box = label.get_rect(center=(cx, cy + core + round(22 * u))).inflate(24, 10)
        gfx.panel(surface, box, pal.lamp, pal.card, radius=box.height // 2)
        surface.blit(label, label.get_rect(center=box.center))
