"""Online play: a Session whose game lives on a server.

A background thread owns the websocket (``game.netclient.NetClient``, opened
with ``with`` inside that thread). It sends what the main loop queued and
receives views, lobby updates, events and errors; each arrival wakes the main
loop with a pygame event of ``event_type``. The main loop only reads the
latest values and queues outgoing messages, so it never waits on the network.

When the link drops, the thread reconnects on its own with capped
exponential backoff and jitter (so a restarted server is not hit by every
client at the same instant), and takes its seats back with the stored seat
tokens. ``connection`` is always one of "connecting", "online",
"reconnecting" or "offline" (gave up: the reason is in ``problem``).
"""

from __future__ import annotations

import queue
import random
import threading
import time
from typing import Any

from game.rules.actions import Action, to_dict

View = dict[str, Any]

#: close codes after which reconnecting cannot help
FATAL_CLOSES = {4001: "This seat was taken over by another window.",
                4002: "The room has closed.",
                4003: "This server speaks another protocol version; update Heartlight."}


def backoff_delay(attempt: int, *, base: float = 0.5, cap: float = 15.0,
                  rng: random.Random | None = None) -> float:
    """Seconds to wait before reconnect ``attempt`` (0, 1, 2 ...): doubling from
    ``base`` up to ``cap``, then scaled by a random factor in [0.5, 1.0)."""
    rng = rng or random.Random()
    return float(min(cap, base * (2 ** attempt)) * (0.5 + rng.random() * 0.5))


class RemoteSession:
    """A seat (or several, in mixed mode) in a room on a Heartlight server."""

    mode = "online"

    def __init__(self, url: str, *, names: list[str], create: dict[str, Any] | None = None,
                 code: str | None = None, tokens: dict[int, str] | None = None,
                 event_type: int | None = None, backoff_base: float = 0.5,
                 backoff_cap: float = 15.0) -> None:
        """``create`` (deck, seats, settings) makes a room; else ``code`` joins
        one; ``tokens`` (with ``code``) takes seats back."""
        self.url = url
        self.names = list(names)
        self.create = create
        self.room_code = code or ""
        self.tokens: dict[int, str] = dict(tokens or {})
        self.event_type = event_type if event_type is not None else _custom_type()
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.views: dict[int, View] = {}
        self.lobby: dict[str, Any] | None = None
        self.host = False
        self.problem = ""
        self.attempts = 0
        self.reconnects = 0
        self._state = "connecting"
        self._seats: tuple[int, ...] = ()
        self._notices: list[dict[str, Any]] = []
        self._outbox: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="heartlight-net", daemon=True)
        self._thread.start()

    # -- the Session interface (main thread) ---------------------------------------
    @property
    def connection(self) -> str:
        return self._state

    @property
    def seats(self) -> tuple[int, ...]:
        return self._seats

    def view(self, seat: int | None = None) -> View | None:
        with self._lock:
            if seat is None:
                seat = self._seats[0] if self._seats else None
            return self.views.get(seat) if seat is not None else None

    def send(self, seat: int, action: Action) -> None:
        view = self.view(seat)
        if view is None:
            self._notice({"type": "error", "code": "client/no_view",
                          "message": "Not connected to the table yet."})
            return
        self._outbox.put(("action", {"version": view["version"], "action": to_dict(action),
                                     "seat": seat}))

    def start_game(self) -> None:
        """The host starts the game."""
        self._outbox.put(("start", {}))

    def poll(self) -> list[dict[str, Any]]:
        with self._lock:
            out, self._notices = self._notices, []
        return out

    def elapsed(self) -> float:
        return time.monotonic() - self._started

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=0.5)  # a daemon thread: never hold the window long

    def wait(self, predicate: Any, timeout: float = 10.0) -> bool:
        """Block until ``predicate(self)`` holds (for tests and tools, not the UI)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return True
            time.sleep(0.01)
        return bool(predicate(self))

    # -- the network thread -------------------------------------------------------------
    def _notice(self, notice: dict[str, Any]) -> None:
        with self._lock:
            self._notices.append(notice)
        self._wake()

    def _wake(self) -> None:
        try:
            import pygame

            if pygame.display.get_init():
                pygame.event.post(pygame.event.Event(self.event_type))
        except Exception:  # waking the loop is a courtesy; the loop also polls
            pass

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self._notice({"type": "connection", "state": state})

    def _run(self) -> None:
        from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

        from game.netclient import NetClient, ServerError

        rng = random.Random()
        attempt = 0
        while not self._stop.is_set():
            self.attempts += 1
            try:
                with NetClient(self.url, open_timeout=5.0, name="heartlight-client") as net:
                    self._take_seats(net)
                    attempt = 0
                    self._set_state("online")
                    self._pump(net)
                return
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd is not None else None
                if code in FATAL_CLOSES:
                    self.problem = FATAL_CLOSES[code]
                    self._set_state("offline")
                    return
            except ServerError as exc:
                self.problem = exc.message
                self._notice({"type": "error", "code": exc.code, "message": exc.message})
                # a refused seat or room will not change by retrying; a busy or
                # failing server may recover, so only those are tried again
                if not self.tokens or not exc.code.startswith(("server/", "limit/")):
                    self._set_state("offline")
                    return
            except InvalidURI as exc:
                self.problem = f"That server address is not valid: {exc}"
                self._set_state("offline")
                return
            except (OSError, TimeoutError, InvalidHandshake) as exc:
                self.problem = f"Cannot reach {self.url}: {exc}"
            if self._stop.is_set():
                return
            self._set_state("reconnecting" if self.tokens else "connecting")
            delay = backoff_delay(attempt, base=self.backoff_base, cap=self.backoff_cap, rng=rng)
            attempt += 1
            self.reconnects += 1
            self._stop.wait(delay)

    def _take_seats(self, net: Any) -> None:
        net.hello()
        if self.tokens:
            for token in list(self.tokens.values()):
                net.rejoin(self.room_code, token)
        else:
            names = self.names or ["Player"]
            if self.create is not None:
                first = net.create_room(self.create["deck"], names[0],
                                        seats=self.create["seats"],
                                        settings=self.create.get("settings"))
                self.host = True
            else:
                first = net.join(self.room_code, names[0])
            self.room_code = first["code"]
            for name in names[1:]:
                net.claim_seat(name)
            self.tokens = dict(net.tokens)
        self._absorb(net)

    def _absorb(self, net: Any) -> None:
        """Copy what the client learnt into the session (under the lock)."""
        with self._lock:
            self.views.update(net.views)
            if net.lobby is not None:
                self.lobby = net.lobby
                self._seats = tuple(sorted(net.lobby["you"]))
            elif net.views:
                self._seats = tuple(sorted(net.views))
            if net.tokens:
                self.tokens.update(net.tokens)
        self._wake()

    def _flush(self, net: Any) -> None:
        try:
            while True:
                kind, fields = self._outbox.get_nowait()
                net.send(kind, **fields)
        except queue.Empty:
            pass

    def _pump(self, net: Any) -> None:
        while True:
            self._flush(net)
            if self._stop.is_set():
                return  # what was queued (a leave, say) went out first
            try:
                msg = net.recv(timeout=0.02)
            except TimeoutError:
                continue
            kind = msg["type"]
            if kind == "view":
                with self._lock:
                    self.views[msg["seat"]] = msg["view"]
                    if msg["seat"] not in self._seats and net.lobby is None:
                        self._seats = tuple(sorted({*self._seats, msg["seat"]}))
                    if self.lobby is not None:
                        held = set(self._seats) | {msg["seat"]}
                        self._seats = tuple(sorted(held))
                self._wake()
            elif kind == "lobby":
                with self._lock:
                    self.lobby = msg
                    self._seats = tuple(sorted(msg["you"]))
                self._wake()
            elif kind == "events":
                with self._lock:
                    self._notices.extend(msg["events"])
                self._wake()
            elif kind == "error":
                self._notice({"type": "error", "code": msg["code"], "message": msg["message"]})
            elif kind == "released":
                with self._lock:
                    self.views.pop(msg["seat"], None)
                    self._seats = tuple(s for s in self._seats if s != msg["seat"])
                self._wake()


def _custom_type() -> int:
    import pygame

    return int(pygame.event.custom_type())
