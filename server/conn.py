"""One websocket connection as the server sees it: its room, its limits,
and non-blocking sends.

Sends never wait for the client: frames are written to the transport at
once (``websockets.broadcast`` semantics), so a slow reader can delay only
itself. A client whose unread backlog grows past ``max_backlog`` is closed
(1008) instead of holding the server's memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from websockets.asyncio.server import ServerConnection, broadcast
from websockets.protocol import State as WsState

from game.protocol import (
    CLOSE_GOING_AWAY,
    CLOSE_HELLO_TIMEOUT,
    CLOSE_INTERNAL,
    CLOSE_NORMAL,
    CLOSE_POLICY,
    CLOSE_REPLACED,
    CLOSE_ROOM_CLOSED,
    CLOSE_TOO_BIG,
    CLOSE_VERSION,
    encode,
)

from .config import ServerConfig
from .limits import TokenBucket
from .logs import log

if TYPE_CHECKING:
    from .room import Room

__all__ = ["CLOSE_GOING_AWAY", "CLOSE_HELLO_TIMEOUT", "CLOSE_INTERNAL", "CLOSE_NORMAL",
           "CLOSE_POLICY", "CLOSE_REPLACED", "CLOSE_ROOM_CLOSED", "CLOSE_TOO_BIG",
           "CLOSE_VERSION", "Client"]


class Client:
    """The server's side of one connection."""

    def __init__(self, ws: ServerConnection, config: ServerConfig) -> None:
        self.ws = ws
        self.config = config
        address = ws.remote_address
        self.address = str(address[0]) if isinstance(address, tuple) else str(address)
        self.room: Room | None = None
        self.hello = False
        self.bucket = TokenBucket(config.messages_per_second, config.burst)
        self.rate_refusals = 0
        self.junk = 0
        self.closing = False
        #: the connection has ended (set before the hub hears of it)
        self.gone = False
        self._close_task: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"<Client {self.address} room={self.room.code if self.room else None}>"

    def send_frame(self, frame: bytes) -> None:
        self.send_frames((frame,))

    def send_frames(self, frames: Sequence[bytes]) -> None:
        """Write binary frames without waiting, in one write to the socket
        (an accepted action sends a view and a notice: one syscall, not two)."""
        ws = self.ws
        if self.closing or ws.protocol.state is not WsState.OPEN:
            return
        transport = ws.transport
        if transport.get_write_buffer_size() > self.config.max_backlog:
            log("client_too_slow", address=self.address)
            self.close(CLOSE_POLICY, "too slow to read")
            return
        if len(frames) == 1 or ws.send_in_progress is not None:
            for frame in frames:
                broadcast((ws,), frame)
            return
        # what websockets' broadcast() does per frame, with the writes joined
        protocol = ws.protocol
        for frame in frames:
            protocol.send_binary(frame)
        transport.write(b"".join(protocol.data_to_send()))

    def send(self, kind: str, **fields: Any) -> None:
        self.send_frame(encode(kind, **fields))

    def error(self, code: str, message: str, answers: str | None = None,
              ident: int | None = None) -> None:
        self.send("error", code=code, message=message, answers=answers, id=ident)

    def close(self, code: int, reason: str) -> None:
        if self.closing:
            return
        self.closing = True
        self._close_task = asyncio.get_running_loop().create_task(self.ws.close(code, reason))
