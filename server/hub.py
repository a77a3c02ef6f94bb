"""The hub: every room of this server, and what each message asks of them.

The hub owns the room registry, the store and the per-address join limits.
It answers what it can at once (hello, unknown rooms, limits) and hands
everything that changes a room to that room's queue (``server.room``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from game.protocol import PROTOCOL_VERSION
from game.rules.actions import TEXT_LIMITS
from game.rules.deck import Deck
from game.rules.errors import GameError

from . import __version__, codes
from .config import ServerConfig
from .conn import CLOSE_VERSION, Client
from .limits import AddressLimits
from .logs import log
from .room import Refused, Room
from .store import EventStore, RoomRecord


class Hub:
    #: what a new room is made of (``server.cluster`` shares rooms through Redis)
    room_class: type[Room] = Room

    def __init__(self, config: ServerConfig, store: EventStore) -> None:
        self.config = config
        self.store = store
        self.rooms: dict[str, Room] = {}
        self.clients: set[Client] = set()
        self.joins = AddressLimits(config.joins_per_minute)
        self.stopping = False
        self._decks: dict[str, Deck] = {}
        self.restore_seconds = 0.0
        #: the last storage failure while writes are failing, else None
        self.storage_error: str | None = None

    # -- decks ----------------------------------------------------------------

    def deck(self, deck_id: str) -> Deck:
        deck = self._decks.get(deck_id)
        if deck is None:
            try:
                deck = self.config.deck_loader(deck_id)
            except Exception as exc:
                problem = getattr(exc, "problems", None) or [str(exc)]
                raise Refused("deck/unknown", f"The server has no usable deck {deck_id!r} "
                              f"({str(problem[0])[:120]}).") from None
            self._decks[deck_id] = deck
        return deck

    # -- start and stop -------------------------------------------------------

    async def restore(self) -> None:
        """Load every stored room. A started game is replayed from its log when
        its first player returns (``Room._restore``), so start-up stays fast."""
        started = time.perf_counter()
        for record in await self.store.load_rooms():
            try:
                deck = self.deck(record.deck_id)
            except Refused:
                log("restore_skipped", room=record.code, deck=record.deck_id)
                continue
            self.rooms[record.code] = Room(self, record, deck, restored=True)
        self.restore_seconds = time.perf_counter() - started
        log("restored", rooms=len(self.rooms), ms=round(self.restore_seconds * 1000, 1))

    async def replay_all(self) -> None:
        """Replay every restored game now (instead of on first use)."""
        for room in list(self.rooms.values()):
            if not room.loaded:
                await room._restore()

    async def drain(self) -> None:
        await asyncio.gather(*(room.drain() for room in list(self.rooms.values())))

    async def sweep(self) -> None:
        """Remove rooms nobody is in that have been idle past the TTL."""
        cutoff = time.time() - self.config.room_ttl_s
        for room in list(self.rooms.values()):
            if not room.conns and room.record.last_active < cutoff:
                await self.remove_room(room, reason="expired")
        self.joins.prune()

    async def remove_room(self, room: Room, *, reason: str) -> None:
        if self.rooms.get(room.code) is room:
            del self.rooms[room.code]
        room.close_all(reason)
        room.stop()
        await self.store.delete_room(room.code)
        log("room_removed", room=room.code, reason=reason)

    # -- messages -------------------------------------------------------------

    def limits(self) -> dict[str, Any]:
        c = self.config
        return {"max_frame": c.max_frame, "messages_per_second": c.messages_per_second,
                "burst": c.burst, "joins_per_minute": c.joins_per_minute,
                "max_seats": c.max_seats, "text": dict(TEXT_LIMITS)}

    def auth_refused(self) -> Refused:
        # the same answer for an unknown room and a wrong token
        return Refused("auth/refused", "No seat matches that room code and token.")

    def dispatch(self, client: Client, msg: dict[str, Any]) -> None:
        kind = msg["type"]
        try:
            if kind == "hello":
                self._hello(client, msg)
                return
            if not client.hello:
                raise Refused("protocol/hello_first", "Send 'hello' first.")
            handler = getattr(self, f"_on_{kind}")
            handler(client, msg)
        except Refused as exc:
            client.error(exc.code, exc.message, kind, msg.get("id"))

    def _hello(self, client: Client, msg: dict[str, Any]) -> None:
        if msg["protocol"] != PROTOCOL_VERSION:
            client.error("protocol/version", f"This server speaks protocol {PROTOCOL_VERSION}, "
                         f"not {msg['protocol']}; update the client or the server.",
                         "hello", msg.get("id"))
            client.close(CLOSE_VERSION, "unsupported protocol version")
            return
        client.hello = True
        client.send("hello_ok", protocol=PROTOCOL_VERSION, server=f"heartlight {__version__}",
                    limits=self.limits())

    def _limit_joins(self, client: Client) -> None:
        if not self.joins.take(client.address):
            raise Refused("limit/joins", f"Too many joins from this address; at most "
                          f"{self.config.joins_per_minute} a minute. Wait a little.")

    def _not_in_room(self, client: Client) -> None:
        room = client.room
        if room is not None and not room.closed and room.seats_of(client):
            raise Refused("room/already", f"This connection is already in room "
                          f"{codes.display(room.code)}; open another connection for "
                          "another room.")

    def _find(self, code: str) -> Room:
        room = self.rooms.get(codes.normalize(code))
        if room is None:
            raise Refused("room/not_found", "No room has that code; check it with the host.")
        return room

    def _in_room(self, client: Client) -> Room:
        room = client.room
        if room is None or room.closed:
            raise Refused("room/none", "This connection is not in a room; create, join or "
                          "rejoin one first.")
        return room

    def _on_create_room(self, client: Client, msg: dict[str, Any]) -> None:
        self._not_in_room(client)
        self._limit_joins(client)
        if len(self.rooms) >= self.config.max_rooms:
            raise Refused("limit/rooms", "This server is full; try again later or another "
                          "server.")
        deck = self.deck(msg["deck"])
        seats = msg["seats"]
        most = min(self.config.max_seats, deck.max_seats)
        if not max(2, deck.min_seats) <= seats <= most:
            raise Refused("room/seats", f"Deck '{deck.id}' plays with "
                          f"{max(2, deck.min_seats)} to {most} seats here, not {seats}.")
        settings = msg["settings"]
        now = time.time()
        record = RoomRecord(
            code=codes.new_code(self.rooms), deck_id=deck.id, max_seats=seats,
            settings={"everyone_answers": settings["everyone_answers"],
                      "excluded_tags": sorted(set(settings["excluded_tags"])),
                      "text_mode": settings["text_mode"]},
            created=now, last_active=now,
        )
        room = self.room_class(self, record, deck, restored=False)
        self.rooms[record.code] = room
        client.room = room
        log("room_created", room=record.code, deck=deck.id, seats=seats)
        room.submit(lambda: room.add_seat(client, msg["name"], msg))

    def _on_join(self, client: Client, msg: dict[str, Any]) -> None:
        self._not_in_room(client)
        self._limit_joins(client)
        room = self._find(msg["code"])
        client.room = room
        room.submit(lambda: room.add_seat(client, msg["name"], msg))

    def _on_rejoin(self, client: Client, msg: dict[str, Any]) -> None:
        self._limit_joins(client)
        room = self.rooms.get(codes.normalize(msg["code"]))
        if room is None:
            raise self.auth_refused()
        if client.room is not None and client.room is not room and \
                client.room.seats_of(client):
            self._not_in_room(client)
        room.submit(lambda: room.rejoin(client, msg["token"], msg))

    def _on_claim_seat(self, client: Client, msg: dict[str, Any]) -> None:
        room = self._in_room(client)
        self._limit_joins(client)
        room.submit(lambda: room.add_seat(client, msg["name"], msg))

    def _on_start(self, client: Client, msg: dict[str, Any]) -> None:
        room = self._in_room(client)
        room.submit(lambda: room.start(client, msg))

    def _on_action(self, client: Client, msg: dict[str, Any]) -> None:
        room = self._in_room(client)
        room.submit(lambda: room.action(client, msg))

    def _on_leave(self, client: Client, msg: dict[str, Any]) -> None:
        room = self._in_room(client)
        room.submit(lambda: room.leave(client, msg["seat"], msg))

    def disconnected(self, client: Client) -> None:
        self.clients.discard(client)
        room = client.room
        if room is not None and not room.closed:
            room.submit(lambda: room.disconnected(client))

    # -- storage faults -------------------------------------------------------

    def storage_failed(self, exc: Exception, room: str) -> None:
        """A write failed (disk full, read-only file): one ERROR line when the
        trouble starts; every write is refused until one succeeds again."""
        if self.storage_error is None:
            log("store_failing", level=logging.ERROR, room=room, error=repr(exc)[:200],
                db=str(self.config.db_path), hint="free disk space or make the database "
                "writable; actions are refused (server/storage) until writes succeed")
        self.storage_error = repr(exc)[:200]

    def storage_ok(self) -> None:
        if self.storage_error is not None:
            log("store_recovered", level=logging.WARNING, after=self.storage_error)
            self.storage_error = None

    def health(self) -> dict[str, Any]:
        return {"status": "stopping" if self.stopping else "ok", "rooms": len(self.rooms),
                "connections": len(self.clients),
                "storage": "ok" if self.storage_error is None else "failing",
                "store": getattr(self.store, "stats", dict)()}


__all__ = ["GameError", "Hub"]
