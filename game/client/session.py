"""The one interface scenes talk to: send an action, read a view, take events.

Scenes never know whether the game runs here or on a server. ``LocalSession``
holds the engine in-process (table mode: every seat sits at this screen, so
each action names its seat). ``game.client.remote.RemoteSession`` speaks to a
server and holds only the seats joined from this device.

Notices that scenes receive from ``poll()`` are plain dicts with a ``type``:
the engine's events (``bulb_lit``, ``tier_unlocked`` ...), plus
``{"type": "error", "code", "message"}`` when an action was refused and
``{"type": "connection", "state"}`` when the link changes.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from game.rules.actions import Action
from game.rules.deck import Deck
from game.rules.engine import apply, new_game
from game.rules.errors import IllegalAction
from game.rules.state import Settings, State
from game.rules.view import view_for

View = dict[str, Any]


class Session(Protocol):
    #: "table" (everything on this screen) or "online"
    mode: str

    @property
    def seats(self) -> tuple[int, ...]:
        """The seats this device holds, in seat order."""
        ...

    @property
    def connection(self) -> str:
        """"local", "connecting", "online", "reconnecting" or "offline"."""
        ...

    def view(self, seat: int | None = None) -> View | None:
        """The latest view for ``seat`` (default: the first held seat)."""
        ...

    def send(self, seat: int, action: Action) -> None:
        """Ask for ``action`` on behalf of ``seat``; a refusal arrives as an error notice."""
        ...

    def poll(self) -> list[dict[str, Any]]:
        """Notices since the last call, oldest first."""
        ...

    def elapsed(self) -> float:
        """Seconds since the session began (for the recap)."""
        ...

    def close(self) -> None: ...


class LocalSession:
    """Table mode: the rules engine in this process, every seat on this screen."""

    mode = "table"

    def __init__(self, deck: Deck, settings: Settings, seed: int | None = None) -> None:
        self.seed = int(time.time() * 1000) % 2**31 if seed is None else seed
        self.state: State = new_game(deck, settings, self.seed)
        self.seats = tuple(range(len(self.state.seats)))
        self._notices: list[dict[str, Any]] = []
        self._views: dict[int | None, View] = {}
        self._started = time.monotonic()
        self.log: list[tuple[int, Action]] = []

    @property
    def connection(self) -> str:
        return "local"

    def view(self, seat: int | None = None) -> View | None:
        if seat is None:
            seat = self.seats[0]
        cached = self._views.get(seat)
        if cached is None or cached["version"] != self.state.version:
            cached = view_for(self.state, seat)
            self._views[seat] = cached
        return cached

    def send(self, seat: int, action: Action) -> None:
        try:
            self.state, events = apply(self.state, seat, action)
        except IllegalAction as exc:
            self._notices.append({"type": "error", "code": exc.code, "message": exc.message})
            return
        self.log.append((seat, action))
        self._notices.extend(e.to_dict() for e in events)

    def poll(self) -> list[dict[str, Any]]:
        out, self._notices = self._notices, []
        return out

    def elapsed(self) -> float:
        return time.monotonic() - self._started

    def close(self) -> None:
        pass


def seat_for(session: Session, action_type: str, *, prefer: int | None = None) -> int | None:
    """A held seat whose view lists ``action_type`` as legal (``prefer`` first).

    Table-mode buttons that belong to nobody in particular (veto, ease back,
    pause, star) use this, so no name is attached to a private choice.
    """
    order = list(session.seats)
    if prefer is not None and prefer in order:
        order.remove(prefer)
        order.insert(0, prefer)
    for seat in order:
        view = session.view(seat)
        if view is not None and action_type in view["legal"]:
            return seat
    return None
