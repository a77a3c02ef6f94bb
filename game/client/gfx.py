"""Drawing helpers: cached text, word wrapping, glow sprites and seat shapes.

Rendering text or soft glows every frame costs a large part of the frame
budget, so both are cached: a frame is mostly blits of ready surfaces.
"""

from __future__ import annotations

import math

import pygame

from .style import RGB, font_path

_FONTS: dict[tuple[int, bool], pygame.font.Font] = {}
_TEXT: dict[tuple[str, int, bool, RGB], pygame.Surface] = {}
_GLOW: dict[tuple[int, RGB], pygame.Surface] = {}


def reset() -> None:
    """Forget every cached font and surface (after ``pygame.quit`` they are invalid)."""
    _FONTS.clear()
    _TEXT.clear()
    _GLOW.clear()
    _BACKDROP.clear()


def font(size: int, bold: bool = False) -> pygame.font.Font:
    key = (size, bold)
    if key not in _FONTS:
        _FONTS[key] = pygame.font.Font(font_path(bold), size)
    return _FONTS[key]


def text(value: str, size: int, colour: RGB, bold: bool = False) -> pygame.Surface:
    """A rendered line of text, cached by content, size, weight and colour."""
    key = (value, size, bold, colour)
    surf = _TEXT.get(key)
    if surf is None:
        if len(_TEXT) > 800:
            _TEXT.clear()
        surf = font(size, bold).render(value, True, colour)
        _TEXT[key] = surf
    return surf


def wrap(value: str, size: int, width: int, bold: bool = False) -> list[str]:
    """Split ``value`` into lines no wider than ``width`` pixels."""
    f = font(size, bold)
    lines: list[str] = []
    for paragraph in value.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if f.size(trial)[0] <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def fit(value: str, size: int, width: int, bold: bool = False) -> str:
    """``value`` shortened with an ellipsis so it fits ``width`` pixels."""
    f = font(size, bold)
    if f.size(value)[0] <= width:
        return value
    while value and f.size(value + "…")[0] > width:
        value = value[:-1]
    return value.rstrip() + "…"


def draw_lines(surface: pygame.Surface, lines: list[str], pos: tuple[int, int], size: int,
               colour: RGB, bold: bool = False, centre: bool = False,
               spacing: float = 1.3) -> int:
    """Blit lines top-down from ``pos`` (its x is the centre if ``centre``); returns
    the y below the last line."""
    x, y = pos
    step = round(size * spacing)
    for line in lines:
        surf = text(line, size, colour, bold)
        surface.blit(surf, (x - surf.get_width() // 2 if centre else x, y))
        y += step
    return y


def draw_wrapped(surface: pygame.Surface, value: str, rect: pygame.Rect, size: int,
                 colour: RGB, bold: bool = False, centre: bool = False,
                 max_lines: int | None = None) -> int:
    lines = wrap(value, size, rect.width, bold)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = fit(lines[-1] + " …", size, rect.width, bold)
    x = rect.centerx if centre else rect.x
    return draw_lines(surface, lines, (x, rect.y), size, colour, bold, centre)


def glow(radius: int, colour: RGB) -> pygame.Surface:
    """A soft radial glow sprite (alpha falls off towards the edge), cached."""
    key = (radius, colour)
    surf = _GLOW.get(key)
    if surf is None:
        surf = pygame.Surface((radius * 2, radius * 2), pygame.SRCALPHA)
        steps = max(8, radius // 2)
        for i in range(steps, 0, -1):
            r = radius * i / steps
            alpha = int(150 * (1 - i / steps) ** 1.8) + 4
            pygame.draw.circle(surf, (*colour, min(255, alpha)), (radius, radius), max(1, int(r)))
        _GLOW[key] = surf
    return surf


def shape_points(shape: str, centre: tuple[float, float], r: float) -> list[tuple[float, float]]:
    cx, cy = centre

    def ring(n: int, radius: float, start: float) -> list[tuple[float, float]]:
        return [(cx + radius * math.cos(start + 2 * math.pi * k / n),
                 cy + radius * math.sin(start + 2 * math.pi * k / n)) for k in range(n)]

    if shape == "square":
        return ring(4, r * 1.1, math.pi / 4)
    if shape == "triangle":
        return [(x, y + r * 0.15) for x, y in ring(3, r * 1.2, -math.pi / 2)]
    if shape == "diamond":
        return ring(4, r * 1.15, 0)
    if shape == "hexagon":
        return ring(6, r * 1.05, 0)
    if shape == "star":
        outer, inner = ring(5, r * 1.25, -math.pi / 2), ring(5, r * 0.55, -math.pi / 2 + math.pi / 5)
        return [p for pair in zip(outer, inner, strict=True) for p in pair]
    if shape == "cross":
        a, b = r * 0.38, r
        return [(cx - a, cy - b), (cx + a, cy - b), (cx + a, cy - a), (cx + b, cy - a),
                (cx + b, cy + a), (cx + a, cy + a), (cx + a, cy + b), (cx - a, cy + b),
                (cx - a, cy + a), (cx - b, cy + a), (cx - b, cy - a), (cx - a, cy - a)]
    return []


def draw_shape(surface: pygame.Surface, shape: str, centre: tuple[float, float], r: float,
               colour: RGB, outline: RGB | None = None) -> None:
    """A seat's shape: filled in its colour, with an outline for contrast."""
    cx, cy = centre
    if shape == "circle":
        pygame.draw.circle(surface, colour, (cx, cy), r)
        if outline:
            pygame.draw.circle(surface, outline, (cx, cy), r, 2)
        return
    if shape == "ring":
        pygame.draw.circle(surface, colour, (cx, cy), r)
        pygame.draw.circle(surface, outline or (0, 0, 0), (cx, cy), max(2, r * 0.45))
        if outline:
            pygame.draw.circle(surface, outline, (cx, cy), r, 2)
        return
    points = shape_points(shape, centre, r)
    pygame.draw.polygon(surface, colour, points)
    if outline:
        pygame.draw.polygon(surface, outline, points, 2)


def panel(surface: pygame.Surface, rect: pygame.Rect, colour: RGB, edge: RGB | None = None,
          radius: int = 14, width: int = 2) -> None:
    pygame.draw.rect(surface, colour, rect, border_radius=radius)
    if edge is not None:
        pygame.draw.rect(surface, edge, rect, width, border_radius=radius)


_BACKDROP: dict[tuple[int, int, RGB, RGB], pygame.Surface] = {}


def backdrop(size: tuple[int, int], base: RGB, glow_colour: RGB) -> pygame.Surface:
    """The window background: a dark room with a warm light from the lamp, cached per size."""
    key = (size[0], size[1], base, glow_colour)
    surf = _BACKDROP.get(key)
    if surf is None:
        if len(_BACKDROP) > 6:
            _BACKDROP.clear()
        surf = pygame.Surface(size)
        surf.fill(base)
        if glow_colour != base:
            w, h = size
            radius = max(w, h) // 2
            g = pygame.Surface((radius * 2, radius * 2), pygame.SRCALPHA)
            steps = 40
            for i in range(steps, 0, -1):
                alpha = int(90 * (1 - i / steps) ** 1.5)
                pygame.draw.circle(g, (*glow_colour, alpha), (radius, radius), radius * i // steps)
            surf.blit(g, (w // 2 - radius, h // 5 - radius))
        _BACKDROP[key] = surf
    return surf
