"""Drive the app with real posted pygame events: for the demo and the tests.

A click is a ``MOUSEBUTTONDOWN`` + ``MOUSEBUTTONUP`` posted at the centre of
a widget found by its key; typing is ``TEXTINPUT``; keys are ``KEYDOWN``.
After posting, the app runs a few frames (``App.step``), exactly as the real
loop would, so whatever the player would see has happened.
"""

from __future__ import annotations

from typing import Any

import pygame


class DriverError(AssertionError):
    """The scripted player could not do what it meant to (a missing or greyed button)."""


class Driver:
    def __init__(self, app: Any) -> None:
        self.app = app

    @property
    def scene(self) -> Any:
        return self.app.scene

    def frames(self, n: int = 2) -> None:
        for _ in range(n):
            self.app.step()

    def widget(self, key: str) -> Any:
        widget = self.scene.keys.get(key)
        if widget is None or not widget.alive():
            raise DriverError(f"No control '{key}' on the {self.scene.name} scene; there are: "
                              f"{sorted(self.scene.keys)}")
        return widget

    def has(self, key: str) -> bool:
        widget = self.scene.keys.get(key)
        return widget is not None and widget.alive() and widget.is_enabled

    def click(self, key: str) -> None:
        widget = self.widget(key)
        if not widget.is_enabled:
            raise DriverError(f"'{key}' on the {self.scene.name} scene is greyed out")
        self.click_at(widget.get_abs_rect().center)

    def click_at(self, pos: tuple[int, int]) -> None:
        if self.app.clock.fake is not None:
            self.app.clock.fake += 0.8  # a person's pace: messages fade as they would
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
        self.frames(2)

    def type(self, key: str, text: str) -> None:
        self.click(key)
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
        self.frames(1)

    def press(self, key: int, mod: int = 0) -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="",
                                             scancode=0))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="",
                                             scancode=0))
        self.frames(2)

    def resize(self, size: tuple[int, int]) -> None:
        pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1],
                                             size=size))
        self.frames(2)

    def expect(self, scene: str, phase: str | None = None) -> None:
        if self.scene.name != scene:
            raise DriverError(f"Expected the {scene} scene, the app shows {self.scene.name}")
        if phase is not None:
            view = self.scene.view
            actual = view["phase"] if view else None
            if actual != phase:
                raise DriverError(f"Expected phase {phase}, the table is in {actual}")

    def offscreen(self) -> list[str]:
        """Keys of controls that are not entirely inside the window."""
        window = pygame.Rect((0, 0), self.app.size)
        return [key for key, widget in self.scene.keys.items()
                if widget.alive() and not window.contains(widget.get_abs_rect())]
