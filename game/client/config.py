"""Player settings that persist between runs, and the folders the client uses.

Settings live as JSON in the platform's user config folder
(``~/.config/heartlight/settings.json`` on Linux, honouring
``XDG_CONFIG_HOME``); a missing or damaged file gives the defaults, never a
crash. Nothing here imports pygame.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from platformdirs import PlatformDirs

FONT_SCALES = (1.0, 1.25, 1.5)
FONT_SCALE_NAMES = {1.0: "Normal", 1.25: "Large", 1.5: "Larger"}


def dirs() -> PlatformDirs:
    return PlatformDirs("heartlight", appauthor=False)


def config_path() -> Path:
    return Path(dirs().user_config_dir) / "settings.json"


def data_dir() -> Path:
    return Path(dirs().user_data_dir)


def pictures_dir() -> Path:
    """Where postcards go unless the player picks another folder."""
    return Path(dirs().user_pictures_dir)


@dataclass(frozen=True, slots=True)
class UserSettings:
    font_scale: float = 1.0
    high_contrast: bool = False
    reduced_motion: bool = False
    volume: float = 0.6
    fullscreen: bool = False
    last_server: str = "ws://localhost:8765"
    postcard_folder: str = ""
    #: keep a local journal of evenings (never the words said)
    journal: bool = True

    def cleaned(self) -> UserSettings:
        scale = min(FONT_SCALES, key=lambda s: abs(s - float(self.font_scale)))
        volume = min(1.0, max(0.0, float(self.volume)))
        return replace(self, font_scale=scale, volume=round(volume, 2))


def load_settings(path: Path | None = None) -> UserSettings:
    """The saved settings, or defaults for anything missing or malformed."""
    path = path or config_path()
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return UserSettings()
    if not isinstance(raw, dict):
        return UserSettings()
    defaults = UserSettings()
    values: dict[str, Any] = {}
    for f in fields(UserSettings):
        value = raw.get(f.name, getattr(defaults, f.name))
        wanted = type(getattr(defaults, f.name))
        if wanted is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        values[f.name] = value if isinstance(value, wanted) else getattr(defaults, f.name)
    return UserSettings(**values).cleaned()


def save_settings(settings: UserSettings, path: Path | None = None) -> Path:
    """Write the settings atomically; returns the file written."""
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings.cleaned()), indent=2), encoding="utf-8")
    tmp.replace(path)
    return path
