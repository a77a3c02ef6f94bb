"""Scale-out: rooms shared by several server processes through Redis.

Any process accepts any player of any room. A process holds a room in
memory (a ``SharedRoom``) while it has players of it, rebuilt from the log
in Redis when the first one arrives. The rules stay the judge; what changes
is how an action becomes final:

- **Actions**: applied to the cached state, then appended with
  ``RedisStore.append_shared``, which succeeds only if the log still ends
  where this process thinks it does. If another process appended first
  (``Conflict``), this one catches up from the log and checks the action
  again exactly as one process would have: stale (``action/stale``), now
  illegal (the rule's error), or still fine (appended on top).
- **Fan-out**: the same Lua script publishes each appended action, with its
  typed text, on the room's channel; every other process that holds the room
  (and so listens there) applies it and sends its own players their views
  (``heard_action``). A gap in
  versions, or a lost subscription, means: catch up from the log.
- **Lobby**: joins, leaves before the start and the start itself change the
  room's record; they run under a short per-room lock in Redis, on a record
  freshly read, and then announce the change so the others re-read it.
- **Presence**: which process holds which seat (``hl:here:CODE``) feeds the
  lobby's "connected" marks; processes beat a heartbeat, and the survivors
  mark the seats of a dead process away (its players rejoin anywhere).

Redis unreachable: every request that needs it gets ``server/storage``
with a sentence saying so, nothing changes, and the next request after
Redis returns works again (the fan-out resubscribes and catches up).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from . import codes
from .config import ServerConfig
from .conn import Client
from .fanout import Fanout
from .hub import Hub
from .logs import log
from .redis_store import RedisStore
from .room import Refused, Room
from .shared_room import STORE_ERRORS, SharedRoom, describe, joins_refused, unavailable

__all__ = ["STORE_ERRORS", "SharedHub", "SharedRoom", "open_shared"]


class SharedHub(Hub):
    store: RedisStore
    room_class = SharedRoom

    def __init__(self, config: ServerConfig, store: RedisStore) -> None:
        super().__init__(config, store)
        self.fanout = Fanout(store, self._heard, self._resync)
        self._loading: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._beat: asyncio.Task[None] | None = None
        self._dead_since: dict[str, float] = {}
        self._grace_until = 0.0

    async def open(self) -> None:
        await self.store.heartbeat(ttl_s=self.heartbeat_ttl)
        await self.store.register_proc()
        await self.fanout.start()
        self._beat = asyncio.get_running_loop().create_task(self._heartbeat())

    async def close(self) -> None:
        if self._beat is not None:
            self._beat.cancel()
        with contextlib.suppress(*STORE_ERRORS):
            await asyncio.wait_for(self.fanout.stop(), 2.0)
        with contextlib.suppress(*STORE_ERRORS):
            await self.store.forget_proc()

    heartbeat_every = 1.0
    heartbeat_ttl = 4.0

    # -- rooms on demand ------------------------------------------------------

    async def restore(self) -> None:
        log("restored", rooms=0, shared=True)

    async def load(self, code: str) -> SharedRoom | None:
        """The cached room, or the room loaded from Redis, or None."""
        room = self.rooms.get(code)
        if room is not None:
            assert isinstance(room, SharedRoom)
            return room
        lock = self._loading.setdefault(code, asyncio.Lock())
        async with lock:
            room = self.rooms.get(code)
            if room is not None:
                assert isinstance(room, SharedRoom)
                return room
            record = await self.store.load_room(code)
            if record is None:
                return None
            try:
                deck = self.deck(record.deck_id)
            except Refused:
                log("load_skipped", room=code, deck=record.deck_id)
                return None
            shared = SharedRoom(self, record, deck, restored=True)
            # hear the room before reading its log: nothing falls in between
            await self.fanout.join(code)
            self.rooms[code] = shared
        self._loading.pop(code, None)
        return shared

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_join(self, client: Client, msg: dict[str, Any]) -> None:
        if codes.normalize(msg["code"]) in self.rooms:
            super()._on_join(client, msg)
            return
        self._not_in_room(client)
        self._limit_joins(client)
        self._spawn(self._arrive(client, msg))

    def _on_rejoin(self, client: Client, msg: dict[str, Any]) -> None:
        if codes.normalize(msg["code"]) in self.rooms:
            super()._on_rejoin(client, msg)
            return
        self._limit_joins(client)
        if client.room is not None and client.room.seats_of(client):
            self._not_in_room(client)
        self._spawn(self._arrive(client, msg))

    async def _arrive(self, client: Client, msg: dict[str, Any]) -> None:
        """A join or rejoin for a room this process does not hold yet."""
        kind = msg["type"]
        try:
            room = await self.load(codes.normalize(msg["code"]))
            if room is None:
                # failed guesses count against the shared limit too
                if not await self.store.take_join(client.address,
                                                  self.config.joins_per_minute):
                    raise joins_refused(self.config.joins_per_minute)
                if kind == "rejoin":
                    raise self.auth_refused()
                raise Refused("room/not_found", "No room has that code; check it with "
                              "the host.")
        except Refused as exc:
            client.error(exc.code, exc.message, kind, msg.get("id"))
            return
        except STORE_ERRORS as exc:
            log("store_failed", error=describe(exc))
            refused = unavailable()
            client.error(refused.code, refused.message, kind, msg.get("id"))
            return
        if client.gone:
            return
        if kind == "join":
            client.room = room
            room.submit(lambda: room.add_seat(client, msg["name"], msg))
        else:
            room.submit(lambda: room.rejoin(client, msg["token"], msg))

    # -- what the other processes did ----------------------------------------

    def _heard(self, data: dict[str, Any]) -> None:
        room = self.rooms.get(str(data.get("room")))
        if not isinstance(room, SharedRoom) or room.closed:
            return
        kind = data.get("k")
        if kind == "act":
            room.submit(lambda: room.heard_action(data))
        elif kind == "room":
            room.submit(room.heard_room)
        elif kind == "claim":
            token_hash = str(data.get("hash"))

            async def claim() -> None:
                room.heard_claim(token_hash)
            room.submit(claim)
        elif kind == "gone":
            self.rooms.pop(room.code, None)
            room.close_all("room closed")
            room.stop()
            self._spawn(self.fanout.leave(room.code))

    async def _resync(self) -> None:
        for room in list(self.rooms.values()):
            if isinstance(room, SharedRoom):
                room.submit(room.resync)

    # -- liveness, expiry -----------------------------------------------------

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_every)
            try:
                await self.store.heartbeat(ttl_s=self.heartbeat_ttl)
                dead = await self.store.dead_procs()
                now = time.monotonic()
                for room in list(self.rooms.values()):
                    # a room that lost track while Redis was away catches up
                    if isinstance(room, SharedRoom) and not room.synced and room.conns \
                            and room.pending == 0:
                        room.submit(room.resync)
                if now < self._grace_until:
                    continue  # everyone's beats lapsed with Redis; wait for fresh ones
                fresh = [p for p in dead if p not in self._dead_since]
                for proc in dead:
                    self._dead_since.setdefault(proc, now)
                if fresh:
                    log("process_dead", procs=fresh)
                    await self._reap(set(fresh))
                for proc in [p for p, t in self._dead_since.items() if now - t > 30.0]:
                    await self.store.forget_proc(proc)
                    del self._dead_since[proc]
            except STORE_ERRORS as exc:
                log("heartbeat_failed", error=describe(exc))
                self._grace_until = time.monotonic() + self.heartbeat_ttl + 2 * self.heartbeat_every

    async def _reap(self, dead: set[str]) -> None:
        for room in list(self.rooms.values()):
            if not isinstance(room, SharedRoom) or room.state is None:
                continue
            _, gone = await self.store.presence(room.code)
            index = {seat.token_hash: i for i, seat in enumerate(room.record.seats)}
            seats = sorted(index[h] for h in gone if h in index)
            if seats:
                room.submit(lambda room=room, seats=seats: room.reap(seats))

    async def sweep(self) -> None:
        """Forget rooms nobody here is in (Redis keeps them, and expires them
        after the TTL); keep the ones with players here from expiring."""
        held = []
        for room in list(self.rooms.values()):
            if room.conns:
                held.append(room.code)
            elif isinstance(room, SharedRoom) and room.pending == 0 and room.reserved \
                    and self.rooms.get(room.code) is room:
                del self.rooms[room.code]
                room.stop()
                await self.fanout.leave(room.code)
        await self.store.touch(held)
        self.joins.prune()

    async def remove_room(self, room: Room, *, reason: str) -> None:
        await super().remove_room(room, reason=reason)
        await self.fanout.leave(room.code)

    def health(self) -> dict[str, Any]:
        health = super().health()
        health["redis"] = "ok" if self.fanout.connected.is_set() else "unreachable"
        health["process"] = self.store.proc
        return health


async def open_shared(config: ServerConfig, url: str) -> SharedHub:
    """Connect to Redis, subscribe, and return the hub (raises StoreUnavailable)."""
    store = RedisStore(url, ttl_s=config.room_ttl_s)
    await store.open()
    hub = SharedHub(config, store)
    try:
        await hub.open()
    except BaseException:
        await store.close()
        raise
    store.before_close.append(hub.close)
    return hub
