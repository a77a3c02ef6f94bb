"""The recap as a picture: a postcard of the evening, saved as PNG.

``render`` draws onto a fresh surface (no window needed beyond pygame's
display being initialised); ``save`` writes it to a folder with a dated name.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pygame

from . import gfx
from .lamp import Lamp
from .style import WARM, seat_colour, seat_shape

SIZE = (1200, 800)


def _minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def render(recap: dict[str, Any], view: dict[str, Any], size: tuple[int, int] = SIZE,
           duration_s: float | None = None) -> pygame.Surface:
    """The postcard for ``recap`` (the view's recap dict) as a surface."""
    pal = WARM
    w, h = size
    surf = pygame.Surface(size)
    surf.blit(gfx.backdrop(size, pal.background, pal.background_glow), (0, 0))
    lamp = Lamp()
    lamp.sync(view, animate=False)
    lamp.draw(surf, pygame.Rect(40, 70, w // 2 - 60, int(h * 0.5)), pal, 1.2)
    title = gfx.text("An evening of Heartlight", 40, pal.text, bold=True)
    surf.blit(title, (40, 20))
    duration = recap.get("duration_s") or duration_s or 0.0
    names = {t["id"]: t["name"] for t in view.get("tiers", [])}
    facts = [
        f"{recap['lit']} bulbs lit" + (f" in {_minutes(duration)}" if duration else ""),
        f"{recap['cards_shared']} cards shared: " + ", ".join(
            f"{n} {names.get(tier, tier)}" for tier, n in recap["cards_per_tier"].items() if n),
        f"Went as deep as {names.get(recap['deepest_tier'], recap['deepest_tier'])}",
    ]
    y = int(h * 0.62)
    for fact in facts:
        surf.blit(gfx.text(gfx.fit(fact, 24, w // 2 - 60), 24, pal.text), (50, y))
        y += 38
    x = w // 2 + 20
    y = 90
    surf.blit(gfx.text("Made others feel heard", 22, pal.accent, bold=True), (x, y))
    y += 40
    order = sorted(range(len(recap["names"])), key=lambda i: -recap["bulbs_by_seat"][i])
    for seat in order:
        gfx.draw_shape(surf, seat_shape(seat), (x + 12, y + 14), 11, seat_colour(seat),
                       pal.background)
        line = f"{recap['names'][seat]}: {recap['bulbs_by_seat'][seat]} bulbs"
        surf.blit(gfx.text(gfx.fit(line, 20, w - x - 70), 20, pal.text), (x + 34, y))
        y += 32
    for heading, items in (("Kept cards", [s["text"] for s in recap["starred"]]),
                           ("Plans made", list(recap["plans"]))):
        if not items:
            continue
        y += 14
        surf.blit(gfx.text(heading, 22, pal.accent, bold=True), (x, y))
        y += 34
        for item in items[:4]:
            y = gfx.draw_wrapped(surf, "• " + item, pygame.Rect(x, y, w - x - 40, 10), 17,
                                 pal.text, max_lines=2) + 4
            if y > h - 60:
                break
    stamp = gfx.text(_dt.date.today().strftime("%d %B %Y"), 16, pal.soft_text)
    surf.blit(stamp, stamp.get_rect(bottomright=(w - 30, h - 20)))
    return surf


def save(surface: pygame.Surface, folder: Path) -> Path:
    """Write the postcard into ``folder`` (created if needed); returns the file."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y-%m-%d_%H%M%S")
    path = folder / f"heartlight-{stamp}.png"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"heartlight-{stamp}-{n}.png"
    pygame.image.save(surface, str(path))
    return path
