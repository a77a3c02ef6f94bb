"""The game window: one loop of events → update → draw, shared by every scene.

The loop redraws only when something changed or an animation runs; when
idle it sleeps in ``pygame.event.wait`` (a network message or a click wakes
it), and it never blocks on the network. ``App.step`` runs one frame, so
tests and the demo can drive the game frame by frame without a real clock.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PYGAME_CE_FIX = (
    "Heartlight needs pygame-ce, but the old 'pygame' package is installed and shadows it.\n"
    "Fix it with:\n"
    "    python -m pip uninstall -y pygame pygame-ce\n"
    "    python -m pip install pygame-ce\n"
    "(both packages install the same 'pygame' module, so remove both, then reinstall pygame-ce)."
)

FPS_CAP = 60
IDLE_WAIT_MS = 1000
TYPING_WAIT_MS = 400


def check_pygame_ce() -> str | None:
    """None if ``pygame`` is pygame-ce, else the message telling how to fix it."""
    try:
        import pygame
    except ImportError:
        return "pygame-ce is not installed. Install it with: python -m pip install pygame-ce"
    if not getattr(pygame, "IS_CE", False):
        return PYGAME_CE_FIX
    return None


@dataclass
class Toast:
    text: str
    until: float
    kind: str = "info"


@dataclass
class Clock:
    """Where time comes from: the real clock, or a fake one tests advance."""
    fake: float | None = None

    def now(self) -> float:
        return time.monotonic() if self.fake is None else self.fake


class App:
    """The window, the widget manager, the settings and the current scene."""

    def __init__(self, size: tuple[int, int] = (1280, 720), *, user: Any = None,
                 fake_clock: bool = False, sound: bool = True, persist: bool = True) -> None:
        """``persist=False`` keeps settings changes in memory only (demo, tools)."""
        import pygame
        import pygame_gui

        from . import gfx
        from .config import load_settings
        from .sound import Sounds
        from .style import palette

        self.pygame = pygame
        pygame.init()
        gfx.reset()
        pygame.key.set_repeat(400, 40)
        self.persist = persist
        self.user = (user or load_settings()).cleaned()
        self.palette = palette(self.user.high_contrast)
        self.window_size = size
        self.screen = self._open_window(size)
        pygame.display.set_caption("Heartlight")
        pygame.display.set_icon(_icon())
        self.manager = pygame_gui.UIManager(self.screen.get_size(), self._theme())
        self._preload_fonts()
        self.sounds = Sounds(self.user.volume if sound else 0.0)
        self.clock = Clock(fake=0.0 if fake_clock else None)
        self.frame_clock = pygame.time.Clock()
        self.dirty = True
        self.running = True
        self.keyboard_used = False
        self.frames = 0
        self._later: list[Callable[[], None]] = []
        self.toasts: list[Toast] = []
        self.hosted_server: Any = None  # the in-process server of "Host online"
        self._last = self.clock.now()
        from .scenes.title import TitleScene

        self.scene: Any = None
        self.switch(TitleScene(self))

    # -- window and theme ------------------------------------------------------
    def _open_window(self, size: tuple[int, int]) -> Any:
        pygame = self.pygame
        if self.user.fullscreen:
            return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        return pygame.display.set_mode(size, pygame.RESIZABLE)

    def _theme(self) -> dict[str, Any]:
        from .style import theme

        return theme(self.user.high_contrast, self.user.font_scale)

    def _preload_fonts(self) -> None:
        import warnings

        sizes = {round(s * self.user.font_scale) for s in (14, 16, 17)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "already loaded" for the theme's own sizes
            self.manager.preload_fonts(
                [{"name": "noto_sans", "point_size": s, "style": st}
                 for s in sizes for st in ("regular", "bold")])

    @property
    def size(self) -> tuple[int, int]:
        return self.screen.get_size()  # type: ignore[no-any-return]

    def resize(self, size: tuple[int, int]) -> None:
        pygame = self.pygame
        if not self.user.fullscreen:
            self.window_size = size
            if self.screen.get_size() != size:
                self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        self.manager.set_window_resolution(self.screen.get_size())
        self.scene.rebuild()
        self.dirty = True

    def apply_settings(self, user: Any) -> None:
        """Save new settings and rebuild everything that depends on them."""
        import pygame_gui

        from .config import save_settings
        from .style import palette

        user = user.cleaned()
        changed_screen = user.fullscreen != self.user.fullscreen
        changed_theme = (user.high_contrast, user.font_scale) != (
            self.user.high_contrast, self.user.font_scale)
        self.user = user
        if self.persist:
            save_settings(user)
        self.palette = palette(user.high_contrast)
        self.sounds.volume = user.volume
        if changed_screen:
            self.screen = self._open_window(self.window_size)
        if changed_theme or changed_screen:
            self.scene.clear()
            self.manager = pygame_gui.UIManager(self.screen.get_size(), self._theme())
            self._preload_fonts()
        self.scene.rebuild()
        self.dirty = True

    # -- scenes ------------------------------------------------------------------
    def switch(self, scene: Any) -> None:
        if self.scene is not None:
            self.scene.leave()
        self.scene = scene
        scene.enter()
        self.dirty = True

    def later(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` after this frame's events (widgets may be rebuilt then)."""
        self._later.append(fn)

    def toast(self, text: str, seconds: float = 4.0, kind: str = "info") -> None:
        self.toasts = [t for t in self.toasts if t.text != text][-2:]
        self.toasts.append(Toast(text, self.clock.now() + seconds, kind))
        self.dirty = True

    def quit(self) -> None:
        self.running = False

    # -- the loop ----------------------------------------------------------------
    def step(self, events: list[Any] | None = None, dt: float | None = None) -> bool:
        """One frame: handle ``events`` (default: the queue), update, draw if needed.

        Returns True if the frame was drawn.
        """
        pygame = self.pygame
        now = self.clock.now()
        if dt is None:
            dt = 1 / FPS_CAP if self.clock.fake is not None else min(0.1, max(0.0, now - self._last))
        self._last = now
        if events is None:
            events = pygame.event.get()
        for event in events:
            if event.type == pygame.NOEVENT:
                continue
            self.dirty = True
            if event.type == pygame.QUIT:
                self.running = False
                continue
            if event.type == pygame.VIDEORESIZE and not self.user.fullscreen:
                self.resize((max(640, event.w), max(480, event.h)))
                continue
            if event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
                from dataclasses import replace

                self.later(lambda: self.apply_settings(
                    replace(self.user, fullscreen=not self.user.fullscreen)))
                continue
            used = self.manager.process_events(event)
            if not used or event.type in (pygame.KEYDOWN,):
                self.scene.handle_event(event)
            elif event.type >= pygame.USEREVENT:
                self.scene.handle_event(event)
        while self._later:
            pending, self._later = self._later, []
            for fn in pending:
                fn()
        if self.clock.fake is not None:
            self.clock.fake += dt
        expired = [t for t in self.toasts if t.until <= now]
        if expired:
            self.toasts = [t for t in self.toasts if t.until > now]
            self.dirty = True
        animating = self.scene.update(dt)
        self.manager.update(dt)
        if not (self.dirty or animating):
            return False
        self.draw()
        self.dirty = False
        return True

    def animating(self) -> bool:
        return bool(self.scene.update(0.0))

    def draw(self) -> None:
        from . import gfx

        surface = self.screen
        pal = self.palette
        surface.blit(gfx.backdrop(surface.get_size(), pal.background, pal.background_glow), (0, 0))
        self.scene.draw(surface)
        self.manager.draw_ui(surface)
        self.scene.draw_over(surface)
        self._draw_toasts(surface)
        self.pygame.display.flip()
        self.frames += 1

    def _draw_toasts(self, surface: Any) -> None:
        from . import gfx

        if not self.toasts:
            return
        size = round(15 * self.user.font_scale)
        area = self.scene.toast_area()
        y = area.y + size
        for toast in self.toasts:
            label = gfx.text(gfx.fit(toast.text, size, area.width - 40), size,
                             self.palette.card_text)
            box = label.get_rect(center=(area.centerx, y)).inflate(28, 14)
            gfx.panel(surface, box, self.palette.card if toast.kind == "info"
                      else self.palette.warning, self.palette.card_edge, radius=12)
            surface.blit(label, label.get_rect(center=box.center))
            y += box.height + 6

    def _typing(self) -> bool:
        """A text entry has the keyboard (its cursor blinks)."""
        return bool(self.manager.get_focus_set())  # type: ignore[no-untyped-call]

    def wait_ms(self) -> int:
        """How long the idle loop may sleep before something needs drawing."""
        wait = IDLE_WAIT_MS
        if self._typing():
            wait = TYPING_WAIT_MS  # the text cursor blinks
        if self.toasts:
            soonest = min(t.until for t in self.toasts) - self.clock.now()
            wait = min(wait, max(10, int(soonest * 1000) + 5))
        return wait

    def idle_wait(self, timeout_ms: int) -> list[Any]:
        """Sleep until an event arrives or ``timeout_ms`` pass; returns the events.

        Drivers that can block (X11, Wayland, Windows, macOS) sleep inside SDL.
        The dummy and offscreen drivers cannot, and SDL would poll every
        millisecond there, so this naps in 20 ms steps instead.
        """
        pygame = self.pygame
        if pygame.display.get_driver() not in ("dummy", "offscreen"):
            first = pygame.event.wait(timeout_ms)
            if first.type == pygame.NOEVENT:
                return []
            return [first, *pygame.event.get()]
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            events: list[Any] = pygame.event.get()
            if events or time.monotonic() >= deadline:
                return events
            time.sleep(0.02)

    def run(self) -> int:
        pygame = self.pygame
        while self.running:
            if self.scene.update(0.0) or self.dirty:
                events = pygame.event.get()
            else:
                events = self.idle_wait(self.wait_ms())
                if not events and self._typing():
                    self.dirty = True  # the text cursor blinks
            drawn = self.step(events)
            if drawn:
                self.frame_clock.tick(FPS_CAP)
        self.close()
        return 0

    def close(self) -> None:
        """Leave the scene, stop a hosted server, close the window."""
        self.scene.leave()
        session = getattr(self.scene, "session", None)
        if session is not None:
            session.close()
        if self.hosted_server is not None:
            self.hosted_server.stop()
            self.hosted_server = None
        self.pygame.quit()


def _icon() -> Any:
    """The window icon: the lamp, drawn in code."""
    import pygame

    from . import gfx
    from .style import WARM

    icon = pygame.Surface((64, 64), pygame.SRCALPHA)
    icon.blit(gfx.glow(32, WARM.lamp), (0, 0))
    pygame.draw.circle(icon, WARM.lamp, (32, 32), 17)
    pygame.draw.circle(icon, WARM.card, (32, 32), 13, 2)
    return icon


def no_display() -> bool:
    """On Linux and BSD, no X11 or Wayland display to open a window on."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    if os.environ.get("SDL_VIDEODRIVER"):
        return False  # the user chose a driver on purpose
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main() -> int:
    """Open the game window on the title screen (``heartlight`` with no arguments)."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    if no_display():
        print("Heartlight found no display to open its window on (neither DISPLAY nor "
              "WAYLAND_DISPLAY is set).\nOn a machine without a screen, try "
              "'heartlight play --text', or 'heartlight demo --out DIR' for screenshots.",
              file=sys.stderr)
        return 1
    problem = check_pygame_ce()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    os.environ.setdefault("SDL_VIDEO_CENTERED", "1")
    try:
        app = App()
    except Exception as exc:  # pygame.error without a display, for example
        print(f"Heartlight could not open its window: {exc}\n"
              "On a machine without a display, try 'heartlight play --text' or "
              "'heartlight demo --out DIR'.", file=sys.stderr)
        return 1
    try:
        return app.run()
    except KeyboardInterrupt:  # Ctrl+C in the terminal: close cleanly
        app.close()
        return 130
