"""Online: hosting a room, joining one by code, and the lobby before the game."""

from __future__ import annotations

from typing import Any

from .base import Scene


class HostScene(Scene):
    name = "host"

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app)


class JoinScene(Scene):
    name = "join"
