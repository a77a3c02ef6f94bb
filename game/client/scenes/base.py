"""What every scene shares: widget bookkeeping, a layout column and a focus ring.

pygame_gui gives the widgets; keyboard play is added here: Tab / Shift+Tab
walk the scene's controls in the order they were made, Enter or Space
activates the focused one, Esc calls ``on_escape``. Button commands are
deferred until the frame's events are handled, so a command may rebuild the
scene without pulling widgets out from under pygame_gui.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UITextEntryLine

from .. import gfx

if TYPE_CHECKING:
    from ..app import App


class Scene:
    """A screen of the game. Subclasses override ``build`` (make widgets for
    the current window size), ``draw`` (what pygame_gui does not draw) and
    maybe ``handle_event``, ``update`` and ``on_escape``."""

    #: a stable name for tests and screenshots
    name = "scene"

    def __init__(self, app: App) -> None:
        self.app = app
        self.widgets: list[Any] = []
        self.focusables: list[tuple[str, Any, Callable[[], None] | None]] = []
        self.focus: int = -1
        self.keys: dict[str, Any] = {}
        self.primary_keys: set[str] = set()
        self._entry_submit: dict[Any, Callable[[], None]] = {}

    # -- life cycle ---------------------------------------------------------
    def enter(self) -> None:
        self.rebuild()

    def leave(self) -> None:
        self.clear()

    def clear(self) -> None:
        for widget in self.widgets:
            widget.kill()
        self.widgets.clear()
        self.focusables.clear()
        self.keys.clear()
        self.primary_keys.clear()
        self._entry_submit.clear()

    def rebuild(self) -> None:
        """Throw the widgets away and make them again (new view, size or theme)."""
        focused = self.focused_key()
        texts = {k: w.get_text() for k, w in self.keys.items() if isinstance(w, UITextEntryLine)}
        self.clear()
        self.focus = -1
        self.build()
        for key, value in texts.items():
            widget = self.keys.get(key)
            if isinstance(widget, UITextEntryLine) and value and not widget.get_text():
                widget.set_text(value)
        if focused is not None:
            for i, (key, widget, _) in enumerate(self.focusables):
                if key == focused and widget.is_enabled:
                    self.set_focus(i)
                    break
        if self.focus < 0:  # the main thing to do next is where Enter goes
            for i, (key, widget, _) in enumerate(self.focusables):
                if key in self.primary_keys and widget.is_enabled:
                    self.set_focus(i)
                    break
        self.app.dirty = True

    def build(self) -> None:
        pass

    # -- widgets ------------------------------------------------------------
    @property
    def u(self) -> float:
        """The size unit: 1.0 at normal font size."""
        return self.app.user.font_scale

    @property
    def button_h(self) -> int:
        return round(38 * self.u)

    def button(self, rect: pygame.Rect, label: str, action: Callable[[], None] | None, *,
               enabled: bool = True, style: str | None = None, key: str | None = None,
               tip: str | None = None) -> UIButton:
        """A button that runs ``action`` (greyed out when not ``enabled``)."""
        object_id = ObjectID(class_id=f"@{style}") if style else None
        size = 17 if style == "primary" else 14 if style == "seat" else 16
        label = gfx.fit(label, round(size * self.u), rect.width - round(18 * self.u), bold=style in ("primary", "seat"))

        def command(*_: Any) -> None:
            if action is not None:
                self.app.later(action)

        widget = UIButton(rect, label, self.app.manager, object_id=object_id,
                          tool_tip_text=tip, command=command)
        if not enabled or action is None:
            widget.disable()  # type: ignore[no-untyped-call]
        key = key or label
        if style == "primary":
            self.primary_keys.add(key)
        self.widgets.append(widget)
        self.keys[key] = widget
        self.focusables.append((key, widget, action))
        return widget

    def entry(self, rect: pygame.Rect, key: str, *, placeholder: str = "", initial: str = "",
              limit: int | None = None,
              on_enter: Callable[[], None] | None = None) -> UITextEntryLine:
        widget = UITextEntryLine(rect, self.app.manager, placeholder_text=placeholder or None,
                                 initial_text=initial or None)
        if limit:
            widget.set_text_length_limit(limit)
        self.widgets.append(widget)
        self.keys[key] = widget
        self.focusables.append((key, widget, None))
        if on_enter is not None:
            self._entry_submit[widget] = on_enter
        return widget

    def text_of(self, key: str) -> str:
        widget = self.keys.get(key)
        return widget.get_text() if isinstance(widget, UITextEntryLine) else ""

    def take_text(self, key: str) -> str:
        """The entry's text, trimmed, and the entry emptied (it has been sent)."""
        widget = self.keys.get(key)
        if not isinstance(widget, UITextEntryLine):
            return ""
        text = str(widget.get_text()).strip()
        widget.set_text("")
        return text

    # -- focus --------------------------------------------------------------
    def focused_key(self) -> str | None:
        if 0 <= self.focus < len(self.focusables):
            return self.focusables[self.focus][0]
        return None

    def set_focus(self, index: int) -> None:
        self.focus = index
        _, widget, _ = self.focusables[index]
        if isinstance(widget, UITextEntryLine):
            self.app.manager.set_focus_set(widget)
        else:
            self.app.manager.set_focus_set(None)
        self.app.dirty = True

    def move_focus(self, step: int) -> None:
        n = len(self.focusables)
        if n == 0:
            return
        index = self.focus
        for _ in range(n):
            index = (index + step) % n if index >= 0 else (0 if step > 0 else n - 1)
            if self.focusables[index][1].is_enabled:
                self.set_focus(index)
                return

    def activate_focused(self) -> bool:
        if not 0 <= self.focus < len(self.focusables):
            return False
        _, widget, action = self.focusables[self.focus]
        if isinstance(widget, UITextEntryLine):
            submit = self._entry_submit.get(widget)
            if submit is not None:
                self.app.later(submit)
                return True
            return False
        if action is not None and widget.is_enabled:
            self.app.later(action)
            return True
        return False

    # -- events -------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        """Keyboard navigation and entry submits; returns True if used."""
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED:
            submit = self._entry_submit.get(event.ui_element)
            if submit is not None:
                self.app.later(submit)
                return True
        if event.type == pygame.KEYDOWN:
            self.app.keyboard_used = True
            if event.key == pygame.K_TAB:
                self.move_focus(-1 if event.mod & pygame.KMOD_SHIFT else 1)
                return True
            focused = self.focusables[self.focus][1] if 0 <= self.focus < len(self.focusables) else None
            in_entry = isinstance(focused, UITextEntryLine)
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) or (
                    event.key == pygame.K_SPACE and not in_entry):
                if not in_entry:
                    return self.activate_focused()
            if event.key == pygame.K_ESCAPE:
                self.app.later(self.on_escape)
                return True
        return False

    def on_escape(self) -> None:
        pass

    def to_title(self) -> None:
        """Back to the title screen."""
        from .title import TitleScene

        self.app.switch(TitleScene(self.app))

    def toast_area(self) -> pygame.Rect:
        """Where short messages appear: by default across the bottom of the window."""
        w, h = self.app.size
        return pygame.Rect(0, h - round(60 * self.u), w, round(60 * self.u))

    def update(self, dt: float) -> bool:
        """Advance animations; True while something moves (keeps frames coming)."""
        return False

    def draw(self, surface: pygame.Surface) -> None:
        pass

    def draw_over(self, surface: pygame.Surface) -> None:
        """Drawn above the widgets: the keyboard focus ring."""
        if self.app.keyboard_used and 0 <= self.focus < len(self.focusables):
            widget = self.focusables[self.focus][1]
            if widget.alive():
                rect = widget.get_abs_rect().inflate(8, 8)
                pygame.draw.rect(surface, self.app.palette.focus, rect, 3, border_radius=12)


class Column:
    """Stacks widgets top-down inside a rectangle."""

    def __init__(self, scene: Scene, rect: pygame.Rect, gap: int | None = None) -> None:
        self.scene = scene
        self.rect = rect
        self.y = rect.y
        self.gap = gap if gap is not None else round(8 * scene.u)

    def take(self, height: int | None = None) -> pygame.Rect:
        height = height or self.scene.button_h
        r = pygame.Rect(self.rect.x, self.y, self.rect.width, height)
        self.y += height + self.gap
        return r

    def row(self, count: int, height: int | None = None) -> list[pygame.Rect]:
        """``count`` equal rectangles side by side on one line."""
        r = self.take(height)
        gap = self.gap
        w = (r.width - gap * (count - 1)) // count
        return [pygame.Rect(r.x + i * (w + gap), r.y, w, r.height) for i in range(count)]

    def space(self, pixels: int) -> None:
        self.y += pixels

    @property
    def left(self) -> int:
        return self.rect.bottom - self.y
