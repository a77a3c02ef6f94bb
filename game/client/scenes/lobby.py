"""Online: hosting a room, joining one by code, and the lobby before the start.

*Host online* runs a server inside this process (SQLite in the user data
folder), creates a room and shows its code large enough to read aloud.
*Join* takes a server address and a code. Several names on one screen make
a shared-screen device that holds several seats (mixed mode).
"""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

import pygame

from game.rules.deck import Deck
from game.rules.state import Settings as GameSettings

from .. import gfx
from ..config import data_dir
from ..remote import RemoteSession
from ..style import seat_colour, seat_shape
from .base import Column, Scene

HOST_PORT = 8765


def local_address() -> str:
    """This machine's address on the local network, for others to join (best guess)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
    except OSError:
        return "127.0.0.1"


def last_room_path() -> Path:
    return data_dir() / "last-room.json"


def remember_room(session: RemoteSession) -> None:
    """Keep the seat tokens on this machine, so a restarted client can rejoin."""
    path = last_room_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"url": session.url, "code": session.room_code,
                                    "tokens": {str(k): v for k, v in session.tokens.items()},
                                    "names": session.names}), encoding="utf-8")
    except OSError:
        pass  # rejoining after a restart is a convenience


def last_room() -> dict[str, Any] | None:
    """The room this machine last sat in, if its tokens were kept."""
    try:
        data = json.loads(last_room_path().read_text(encoding="utf-8"))
        tokens = {int(k): str(v) for k, v in data["tokens"].items()}
        if not tokens:
            return None
        return {"url": str(data["url"]), "code": str(data["code"]), "tokens": tokens,
                "names": [str(n) for n in data.get("names", [])]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def start_local_server(app: Any) -> Any:
    """The in-process server of this app (started once, stopped when the app ends)."""
    server = getattr(app, "hosted_server", None)
    if server is not None:
        return server
    from server.app import run_in_thread

    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        server = run_in_thread(host="0.0.0.0", port=HOST_PORT, db_path=folder / "server.db")
    except OSError:
        server = run_in_thread(host="0.0.0.0", port=0, db_path=folder / "server.db")
    app.hosted_server = server
    return server


class HostScene(Scene):
    """Starts the local server and a room, then hands over to the lobby."""

    name = "host"

    def __init__(self, app: Any, *, deck: Deck, settings: GameSettings) -> None:
        super().__init__(app)
        self.deck = deck
        self.settings = settings

    def enter(self) -> None:
        super().enter()
        try:
            server = start_local_server(self.app)
        except Exception as exc:  # a busy port, an unwritable folder: say so, stay here
            self.app.toast(f"Could not start a server here: {exc}", kind="warning")
            from .title import TitleScene

            self.app.switch(TitleScene(self.app))
            return
        settings = {"everyone_answers": self.settings.everyone_answers,
                    "excluded_tags": sorted(self.settings.excluded_tags),
                    "text_mode": self.settings.text_mode}
        session = RemoteSession(f"ws://127.0.0.1:{server.port}", names=list(self.settings.names),
                                create={"deck": self.deck.id,
                                        "seats": min(8, self.deck.max_seats),
                                        "settings": settings})
        address = f"ws://{local_address()}:{server.port}"
        self.app.switch(LobbyScene(self.app, session, share=address))


class JoinScene(Scene):
    name = "join"

    def build(self) -> None:
        w, h = self.app.size
        u = self.u
        bw = min(round(480 * u), w - 40)
        col = Column(self, pygame.Rect((w - bw) // 2, round(90 * u), bw, h))
        self.labels: list[tuple[str, pygame.Rect]] = []
        eh = round(36 * u)
        for key, label, initial in (
                ("server", "Server address", self.app.user.last_server),
                ("code", "Room code (e.g. KT7P-M3QX)", ""),
                ("names", "Your name (several, comma-separated, for a shared screen)", "")):
            self.labels.append((label, col.take(round(20 * u))))
            self.entry(col.take(eh), key, initial=initial, limit=200,
                       on_enter=self.join if key == "names" else None)
        col.space(round(8 * u))
        back, join = col.row(2, round(44 * u))
        self.button(back, "Back", self.on_escape, style="gentle", key="back")
        self.button(join, "Join", self.join, style="primary", key="join")
        previous = last_room()
        if previous is not None:
            self.button(col.take(), f"Rejoin room {previous['code']}", self.rejoin, key="rejoin",
                        tip="Take your seats back with the tokens kept on this machine")
        if self.focus < 0:
            self.set_focus(1)

    def join(self) -> None:
        url = self.text_of("server").strip()
        code = self.text_of("code").strip()
        names = [n.strip() for n in self.text_of("names").split(",") if n.strip()]
        if not url.startswith(("ws://", "wss://")):
            url = "ws://" + url
        if not code or not names:
            self.app.toast("Fill in the room code and at least one name.", kind="warning")
            return
        self.app.apply_settings(replace(self.app.user, last_server=url))
        session = RemoteSession(url, names=names, code=code)
        self.app.switch(LobbyScene(self.app, session))

    def rejoin(self) -> None:
        previous = last_room()
        if previous is None:
            return
        session = RemoteSession(previous["url"], names=previous["names"], code=previous["code"],
                                tokens=previous["tokens"])
        self.app.switch(LobbyScene(self.app, session))

    def on_escape(self) -> None:
        self.to_title()

    def draw(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        u = self.u
        w, _ = surface.get_size()
        title = gfx.text("Join a room", round(28 * u), pal.text, bold=True)
        surface.blit(title, title.get_rect(center=(w // 2, round(45 * u))))
        for label, rect in self.labels:
            surface.blit(gfx.text(gfx.fit(label, round(14 * u), rect.width), round(14 * u),
                                  pal.soft_text), rect.topleft)


class LobbyScene(Scene):
    """Who has joined; the host starts. Moves to the table with the first view."""

    name = "lobby"

    def __init__(self, app: Any, session: RemoteSession, share: str = "") -> None:
        super().__init__(app)
        self.session = session
        self.share = share
        self.signature: Any = None
        self.remembered: dict[int, str] = {}

    def _signature(self) -> Any:
        lobby = self.session.lobby
        return (self.session.connection, None if lobby is None else (
            tuple((s["name"], s["connected"]) for s in lobby["seats"]), tuple(lobby["you"])))

    def build(self) -> None:
        self.signature = self._signature()
        w, h = self.app.size
        u = self.u
        bw = min(round(420 * u), w - 40)
        row = pygame.Rect((w - bw) // 2, h - round(70 * u), bw, round(46 * u))
        half = (bw - 10) // 2
        self.button(pygame.Rect(row.x, row.y, half, row.height), "Back to the title", self.on_escape,
                    style="gentle", key="leave")
        lobby = self.session.lobby
        can_start = (lobby is not None and self.session.host
                     and len(lobby["seats"]) >= 2 and self.session.connection == "online")
        self.button(pygame.Rect(row.x + half + 10, row.y, half, row.height),
                    "Start" if self.session.host else "Waiting for the host",
                    self.session.start_game, enabled=can_start, style="primary", key="start")
        if self.focus < 0:
            self.set_focus(1 if can_start else 0)

    def update(self, dt: float) -> bool:
        if self.session.tokens and self.session.tokens != self.remembered:
            self.remembered = dict(self.session.tokens)
            remember_room(self.session)
        if self.session.view() is not None:
            from .table import TableScene

            self.app.switch(TableScene(self.app, self.session))
            return False
        for notice in self.session.poll():
            if notice.get("type") == "error":
                self.app.toast(str(notice.get("message")), kind="warning")
        if self._signature() != self.signature:
            self.rebuild()
        return False

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == self.session.event_type:
            self.app.dirty = True
            return True
        return super().handle_event(event)

    def on_escape(self) -> None:
        self.session.close()
        self.to_title()

    def draw(self, surface: pygame.Surface) -> None:
        pal = self.app.palette
        u = self.u
        w, h = surface.get_size()
        s = self.session
        state = s.connection
        colour = (0, 158, 115) if state == "online" else pal.warning
        pygame.draw.circle(surface, colour, (24, 26), 8)
        surface.blit(gfx.text(state.capitalize() + (f": {s.problem}" if state != "online"
                                                      and s.problem else ""),
                              round(15 * u), pal.text), (40, 16))
        heading = gfx.text("Room code", round(20 * u), pal.soft_text)
        surface.blit(heading, heading.get_rect(center=(w // 2, round(70 * u))))
        code = s.room_code or "…"
        size = min(round(84 * u), int(w / max(6, len(code)) * 1.2))
        centre = (w // 2, round(70 * u) + size)
        halo = max(40, size * 2)
        surface.blit(gfx.glow(halo, pal.lamp), (centre[0] - halo, centre[1] - halo))
        big = gfx.text(code, size, pal.accent, bold=True)
        surface.blit(big, big.get_rect(center=(w // 2, round(70 * u) + size)))
        y = round(90 * u) + size * 2
        if self.share:
            line = gfx.text(f"Others join at {self.share}", round(16 * u), pal.text)
            surface.blit(line, line.get_rect(center=(w // 2, y)))
            y += round(34 * u)
        lobby = s.lobby
        if lobby is None:
            return
        deck = gfx.text(f"{lobby['deck']['name']} · {len(lobby['seats'])} of "
                        f"{lobby['max_seats']} seats", round(16 * u), pal.soft_text)
        surface.blit(deck, deck.get_rect(center=(w // 2, y)))
        y += round(30 * u)
        for seat in lobby["seats"]:
            i = seat["seat"]
            if y > h - round(110 * u):
                break
            gfx.draw_shape(surface, seat_shape(i), (w // 2 - round(120 * u), y + 12),
                           round(10 * u), seat_colour(i), pal.background)
            mine = " (this screen)" if i in lobby["you"] else ""
            host = " · host" if i == lobby["host"] else ""
            away = "" if seat["connected"] else " · away"
            label = gfx.text(f"{seat['name']}{mine}{host}{away}", round(18 * u), pal.text)
            surface.blit(label, (w // 2 - round(100 * u), y))
            y += round(32 * u)
