"""A small synchronous client for the Heartlight protocol.

For tests, the benchmark, the terminal client and the pygame client's
network thread. Open it with ``with`` in the thread that owns it (the sync
websockets client warns otherwise); one thread may ``send`` while another
blocks in ``recv``, never two in ``recv``.

    with NetClient("ws://127.0.0.1:8765") as net:
        net.hello()
        me = net.create_room("couples", "Ana", seats=2)
        ...
        net.start()
        view = net.wait_view(me["seat"])
        net.act({"type": "draw"}, seat=me["seat"])

It remembers what it was told: ``views`` (seat -> latest view), ``tokens``
(seat -> token), ``lobby``, ``code``, ``events`` and ``errors``.
"""

from __future__ import annotations

import itertools
import ssl as ssl_module
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from websockets.sync.client import ClientConnection, connect

from game.protocol import PROTOCOL_VERSION, decode, encode
from game.rules.actions import Action, to_dict
from game.rules.errors import GameError

Message = dict[str, Any]


class ServerError(GameError):
    """The server refused a request (an ``error`` message answering it)."""


class NetClient:
    def __init__(self, url: str, *, ssl: ssl_module.SSLContext | None = None,
                 open_timeout: float = 10.0, max_size: int = 1 << 20,
                 name: str = "heartlight-netclient") -> None:
        self.url = url
        self.name = name
        self._ssl = ssl
        self._open_timeout = open_timeout
        self._max_size = max_size
        self._cm: Any = None
        self.ws: ClientConnection | None = None
        self._ids = itertools.count(1)
        self.views: dict[int, dict[str, Any]] = {}
        self.tokens: dict[int, str] = {}
        self.lobby: Message | None = None
        self.code: str | None = None
        self.limits: dict[str, Any] = {}
        self.events: list[dict[str, Any]] = []
        self.errors: list[Message] = []
        self.released: list[Message] = []

    # -- connection -----------------------------------------------------------

    def __enter__(self) -> NetClient:
        kwargs: dict[str, Any] = {"compression": None, "open_timeout": self._open_timeout,
                                  "max_size": self._max_size}
        if self._ssl is not None:
            kwargs["ssl"] = self._ssl
        self._cm = connect(self.url, **kwargs)
        self.ws = self._cm.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._cm is not None:
            self._cm.__exit__(kind, value, tb)
            self._cm = None

    def send(self, kind: str, **fields: Any) -> int:
        """Send one message; returns the ``id`` it carries."""
        assert self.ws is not None, "use NetClient inside 'with'"
        ident = next(self._ids)
        self.ws.send(encode(kind, id=ident, **fields))
        return ident

    def send_raw(self, data: bytes | str) -> None:
        assert self.ws is not None
        self.ws.send(data)

    def recv(self, timeout: float | None = None) -> Message:
        """The next message, decoded and remembered. Raises TimeoutError, or
        websockets' ConnectionClosed when the server closed."""
        assert self.ws is not None
        frame = self.ws.recv(timeout=timeout)
        msg = decode(frame if isinstance(frame, bytes) else frame.encode(), sender="server")
        self._remember(msg)
        return msg

    def _remember(self, msg: Message) -> None:
        kind = msg["type"]
        if kind == "view":
            self.views[msg["seat"]] = msg["view"]
        elif kind == "welcome":
            self.code = msg["code"]
            if msg["token"] is not None:
                self.tokens[msg["seat"]] = msg["token"]
        elif kind == "lobby":
            self.lobby = msg
        elif kind == "events":
            self.events.extend(msg["events"])
        elif kind == "error":
            self.errors.append(msg)
        elif kind == "hello_ok":
            self.limits = msg["limits"]
        elif kind == "released":
            self.released.append(msg)
            self.views.pop(msg["seat"], None)

    def wait_for(self, predicate: Callable[[Message], bool], timeout: float = 10.0) -> Message:
        """Receive until a message satisfies ``predicate``; return it."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching message in time")
            msg = self.recv(timeout=left)
            if predicate(msg):
                return msg

    def request(self, kind: str, reply: str, timeout: float = 10.0, **fields: Any) -> Message:
        """Send and wait for the ``reply`` type, or raise ServerError for an
        error answering this message."""
        ident = self.send(kind, **fields)
        msg = self.wait_for(lambda m: m["type"] == reply or
                            (m["type"] == "error" and m["id"] == ident), timeout)
        if msg["type"] == "error":
            raise ServerError(msg["code"], msg["message"])
        return msg

    # -- the session ----------------------------------------------------------

    def hello(self) -> Message:
        return self.request("hello", "hello_ok", protocol=PROTOCOL_VERSION, client=self.name)

    def create_room(self, deck: str, name: str, *, seats: int = 2,
                    settings: dict[str, Any] | None = None) -> Message:
        fields: dict[str, Any] = {"deck": deck, "name": name, "seats": seats}
        if settings:
            fields["settings"] = settings
        return self.request("create_room", "welcome", **fields)

    def join(self, code: str, name: str) -> Message:
        return self.request("join", "welcome", code=code, name=name)

    def rejoin(self, code: str, token: str) -> Message:
        return self.request("rejoin", "welcome", code=code, token=token)

    def claim_seat(self, name: str) -> Message:
        return self.request("claim_seat", "welcome", name=name)

    def start(self, timeout: float = 10.0) -> Message:
        """Start the game; returns the first view received."""
        return self.request("start", "view", timeout=timeout)

    def leave(self, seat: int | None = None) -> int:
        return self.send("leave", seat=seat)

    def act(self, action: Action | dict[str, Any], *, seat: int | None = None,
            version: int | None = None) -> int:
        """Send an action based on the latest view of ``seat`` (or ``version``)."""
        data = to_dict(action) if isinstance(action, Action) else dict(action)
        if version is None:
            view = self.views.get(seat) if seat is not None else \
                next(iter(self.views.values()), None) if len(self.views) == 1 else None
            if view is None:
                raise ValueError("no view to base the action on; give version=")
            version = view["version"]
        return self.send("action", version=version, action=data, seat=seat)

    def act_and_wait(self, action: Action | dict[str, Any], *, seat: int,
                     timeout: float = 10.0) -> dict[str, Any]:
        """Act for ``seat`` and wait for its next view; raise ServerError if refused."""
        before = self.views[seat]["version"]
        ident = self.act(action, seat=seat)
        msg = self.wait_for(lambda m: (m["type"] == "view" and m["seat"] == seat
                                       and m["view"]["version"] > before)
                            or (m["type"] == "error" and m["id"] == ident), timeout)
        if msg["type"] == "error":
            raise ServerError(msg["code"], msg["message"])
        view: dict[str, Any] = msg["view"]
        return view

    def wait_view(self, seat: int, *, after: int = -1, timeout: float = 10.0) -> dict[str, Any]:
        """The latest view of ``seat`` once its version is above ``after``."""
        view = self.views.get(seat)
        if view is not None and view["version"] > after:
            return view
        msg = self.wait_for(lambda m: m["type"] == "view" and m["seat"] == seat
                            and m["view"]["version"] > after, timeout)
        latest: dict[str, Any] = msg["view"]
        return latest

    def drain(self, quiet: float = 0.05) -> None:
        """Receive whatever arrives until ``quiet`` seconds pass with nothing."""
        try:
            while True:
                self.recv(timeout=quiet)
        except TimeoutError:
            pass


def scripted_move(view: dict[str, Any], *, turns: int = 4, text: str = "") -> dict[str, Any] | None:
    """A cooperative scripted player for tests and benchmarks: the next
    action the seat of ``view`` takes, or None when it waits for others.

    It draws, answers (with ``text``), asks one follow-up per answer, lights
    'heard' and 'follow_up' bulbs, says ready to every check, and proposes
    last light once ``turns`` turns are done; then closes with a note to the
    next seat.
    """
    legal = set(view["legal"])
    me = view["you"]
    phase = view["phase"]
    turn = view["turn"]
    if view["paused"]:
        return None
    check = view["ready_check"]
    if check is not None and check["my_vote"] is None and "ready_vote" in legal:
        return {"type": "ready_vote", "ready": True}
    last = view["last_light"]
    if last is not None and last["my_vote"] is None and "last_light_vote" in legal:
        return {"type": "last_light_vote", "agree": True}
    if phase == "closing":
        closing = view["closing"]
        if closing["closer"] != me:
            return None
        told = {a["to"] for a in closing["appreciations"] if a["by"] == me}
        others = [i for i, s in enumerate(view["seats"]) if i != me and not s["left"]]
        target = next((i for i in others if i not in told), None)
        if target is not None and not told:
            return {"type": "appreciate", "to": target, "text": text, "sealed": False}
        return {"type": "finish_closing"}
    if phase == "draw" and "draw" in legal:
        if view["turns_done"] >= turns and last is None and "propose_last_light" in legal:
            return {"type": "propose_last_light"}
        return {"type": "draw"}
    if phase == "answer" and "finish_answer" in legal:
        return {"type": "finish_answer", "text": text}
    if phase == "respond" and turn is not None and turn["speaker"] != me:
        asked = any(f["by"] == me for f in turn["follow_ups"])
        if not asked and turn["follow_ups_left"] > 0 and "ask_follow_up" in legal:
            if view["card"]["follow_ups"]:
                return {"type": "ask_follow_up", "suggestion": 0}
            return {"type": "ask_follow_up", "text": text or "Say more?"}
        if me not in turn["nothing_to_add"] and "nothing_to_add" in legal:
            return {"type": "nothing_to_add"}
        return None
    if phase == "acknowledge" and turn is not None and turn["speaker"] == me:
        given = [(b["to"], b["reason"]) for b in turn["bulbs"] if b["by"] == me]
        for i, seat in enumerate(view["seats"]):
            if i == me or seat["left"]:
                continue
            if (i, "heard") not in given and "light_bulb" in legal:
                return {"type": "light_bulb", "to": i, "reason": "heard"}
            questions = sum(1 for f in turn["follow_ups"] if f["by"] == i)
            if given.count((i, "follow_up")) < questions and "light_bulb" in legal:
                return {"type": "light_bulb", "to": i, "reason": "follow_up"}
        return {"type": "end_turn"} if "end_turn" in legal else None
    if phase == "activity" and turn is not None and turn["drawer"] == me and "end_turn" in legal:
        return {"type": "end_turn"}
    return None
