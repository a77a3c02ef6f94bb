"""Colours, seat identities and the pygame_gui theme, in one place.

Seats get a colour from the Okabe–Ito palette (chosen to stay apart under
the common colour-vision deficiencies) *and* a shape, so nobody has to rely
on colour alone. The widget theme is a JSON file in ``assets/``; font sizes
are scaled here by the player's font-size setting before the theme is given
to pygame_gui.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

RGB = tuple[int, int, int]

# Okabe & Ito (2008), reordered so neighbours contrast
SEAT_COLOURS: tuple[RGB, ...] = (
    (230, 159, 0),    # orange
    (86, 180, 233),   # sky blue
    (0, 158, 115),    # bluish green
    (240, 228, 66),   # yellow
    (204, 121, 167),  # reddish purple
    (213, 94, 0),     # vermilion
    (0, 114, 178),    # blue
    (235, 235, 235),  # near white
)
SEAT_SHAPES: tuple[str, ...] = (
    "circle", "square", "triangle", "diamond", "star", "hexagon", "cross", "ring",
)


@dataclass(frozen=True, slots=True)
class Palette:
    background: RGB
    background_glow: RGB
    panel: RGB
    panel_edge: RGB
    card: RGB
    card_edge: RGB
    card_text: RGB
    card_soft: RGB
    text: RGB
    soft_text: RGB
    accent: RGB
    lamp: RGB
    bulb_off: RGB
    warning: RGB
    focus: RGB


WARM = Palette(
    background=(28, 22, 30), background_glow=(70, 40, 36), panel=(43, 34, 44),
    panel_edge=(92, 70, 86), card=(251, 243, 234), card_edge=(226, 170, 120),
    card_text=(42, 31, 38), card_soft=(120, 96, 100), text=(246, 233, 220),
    soft_text=(196, 178, 176), accent=(242, 184, 128), lamp=(255, 196, 110),
    bulb_off=(74, 62, 72), warning=(255, 150, 120), focus=(255, 215, 120),
)
HIGH_CONTRAST = Palette(
    background=(0, 0, 0), background_glow=(0, 0, 0), panel=(0, 0, 0),
    panel_edge=(255, 255, 255), card=(255, 255, 255), card_edge=(255, 255, 0),
    card_text=(0, 0, 0), card_soft=(40, 40, 40), text=(255, 255, 255),
    soft_text=(255, 255, 255), accent=(255, 255, 0), lamp=(255, 255, 0),
    bulb_off=(90, 90, 90), warning=(255, 255, 0), focus=(0, 255, 255),
)


def palette(high_contrast: bool) -> Palette:
    return HIGH_CONTRAST if high_contrast else WARM


def seat_colour(seat: int) -> RGB:
    return SEAT_COLOURS[seat % len(SEAT_COLOURS)]


def seat_shape(seat: int) -> str:
    return SEAT_SHAPES[seat % len(SEAT_SHAPES)]


def asset_path(name: str) -> Path:
    """A file from ``assets/``: the checkout's folder, or the copy in the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "assets" / name, here.parent / "_data" / "assets" / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"Asset {name!r} is missing: looked in the checkout's assets/ "
                            "and the installed game/_data/assets/. Reinstall Heartlight.")


def font_path(bold: bool = False) -> str:
    """Noto Sans as bundled by pygame_gui (SIL Open Font License, see its data/licenses)."""
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return str(resources.files("pygame_gui.data") / name)


def theme(high_contrast: bool, font_scale: float) -> dict[str, Any]:
    """The pygame_gui theme dict with every font size scaled by ``font_scale``."""
    name = "theme_high_contrast.json" if high_contrast else "theme.json"
    data: dict[str, Any] = json.loads(asset_path(name).read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    for block in data.values():
        font = block.get("font") if isinstance(block, dict) else None
        if isinstance(font, dict) and "size" in font:
            font["size"] = str(round(int(font["size"]) * font_scale))
    return data
