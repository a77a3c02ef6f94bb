"""A room shared by several server processes (see ``server.cluster`` for
how they cooperate): its state follows the room's log in Redis, its
actions are appended only on the version they were judged on, and what
other processes accepted reaches its players through ``heard_action``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from typing import TYPE_CHECKING, Any

from game.protocol import decode, encode
from game.rules.actions import Action, SetAway, with_text_restored, without_text
from game.rules.engine import apply, is_stale
from game.rules.errors import GameError, IllegalAction
from game.rules.state import Phase

from . import codes
from .conn import CLOSE_REPLACED, Client
from .logs import log
from .redis_store import Conflict, RedisStore, StoreUnavailable
from .room import Refused, Room
from .store import RoomRecord

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - open_shared reports it first
    from .redis_store import StoreUnavailable as RedisError  # type: ignore[assignment]

if TYPE_CHECKING:
    from .cluster import SharedHub

#: what a lost or failing Redis raises
STORE_ERRORS = (RedisError, OSError, StoreUnavailable, asyncio.TimeoutError)


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


def unavailable() -> Refused:
    return Refused("server/storage", "The server cannot reach its shared store (Redis) "
                   "right now; nothing changed. Try again in a moment.")


def joins_refused(per_minute: int) -> Refused:
    return Refused("limit/joins", f"Too many joins from this address; at most "
                   f"{per_minute} a minute. Wait a little.")


def texts_of(action: Action) -> dict[str, str]:
    return {name: getattr(action, name) for name in action.text_fields}


def action_from(data: dict[str, Any]) -> Action:
    """The action a published message carries, typed text and all."""
    action = with_text_restored(data["a"])
    texts = data.get("t") or {}
    if texts:
        action = dataclasses.replace(action, **{k: v for k, v in texts.items()
                                                if k in action.text_fields})
    return action


class SharedRoom(Room):
    hub: SharedHub

    def __init__(self, hub: SharedHub, record: RoomRecord, deck: Any, *,
                 restored: bool) -> None:
        super().__init__(hub, record, deck, restored=restored)
        # the base room replays on its own; here ``_sync`` does it, on demand
        self.loaded = True
        #: the state matches the log (False: catch up before use)
        self.synced = not restored
        #: the state is not a beginning of the log (rebuild it, don't catch up)
        self.diverged = False
        #: the code is ours in Redis (a new room reserves it on its first job)
        self.reserved = restored
        #: seats held by connections on other live processes, and on dead ones
        self.remote: set[int] = set()
        self.dead: set[int] = set()
        #: jobs submitted and not finished (a busy room is never forgotten)
        self.pending = 0

    def submit(self, job: Any) -> None:
        self.pending += 1

        async def counted() -> None:
            try:
                await job()
            finally:
                self.pending -= 1

        super().submit(counted)

    @property
    def store(self) -> RedisStore:
        return self.hub.store

    # -- keeping up with Redis ------------------------------------------------

    def _adopt_record(self, record: RoomRecord) -> None:
        """Take a fresher record; local connections keep their seats even when
        seats before them were freed (matched by token hash)."""
        by_hash = {self.record.seats[s].token_hash: c for s, c in self.conns.items()
                   if s < len(self.record.seats)}
        self.record = record
        self.conns = {i: by_hash[s.token_hash] for i, s in enumerate(record.seats)
                      if s.token_hash in by_hash}

    async def _refresh(self) -> None:
        """Re-read the record and who is connected elsewhere."""
        record = await self.store.load_room(self.code)
        if record is None:
            raise Refused("room/not_found", "This room no longer exists.")
        self._adopt_record(record)
        live, dead = await self.store.presence(self.code)
        index = {seat.token_hash: i for i, seat in enumerate(record.seats)}
        self.remote = {index[h] for h, p in live.items() if p != self.store.proc and h in index}
        self.dead = {index[h] for h in dead if h in index}

    def _hashes(self, seats: list[int]) -> list[str]:
        return [self.record.seats[s].token_hash for s in seats if s < len(self.record.seats)]

    async def _sync(self) -> None:
        """Make the state match the log: rebuild when not synced, else read
        only what was appended since. Broadcasts if anything changed."""
        if not self.synced and self.state is not None and not self.diverged and \
                await self.store.log_length(self.code) >= self.state.version:
            # what this process holds is still the log's beginning: read on
            # from there (keeping the typed text its players saw)
            self.synced = True
        if not self.synced:
            before = self.state.version if self.state is not None else None
            await self._rebuild()
            if self.state is not None and self.state.version != before:
                self._broadcast(self.state, [])
                await self._heal()
            return
        if self.state is None:
            await self._refresh()
            if self.started:
                await self._rebuild()
            return
        logged = await self.store.load_actions(self.code, after=self.state.version)
        if not logged:
            return
        state, events = self.state, list[dict[str, Any]]()
        for entry in logged:
            old = state
            try:
                state, evs = apply(state, entry.seat, with_text_restored(entry.action))
            except GameError as exc:
                log("replay_failed", room=self.code, seq=entry.seq, code=exc.code)
                self.synced, self.diverged = False, True
                return
            events.extend(e.to_dict() for e in evs)
            self._track_timers(old, state, entry.ts)
        self.state = state
        self._broadcast(state, events)
        await self._heal()

    async def _rebuild(self) -> None:
        await self._refresh()
        if not self.started:
            self.state = None
            self.synced = True
            return
        started = time.perf_counter()
        logged = await self.store.load_actions(self.code)
        self.state = self._replayed(logged)
        self.started_at = self.record.started
        self.synced, self.diverged = True, False
        log("room_rebuilt", room=self.code, actions=len(logged),
            ms=round((time.perf_counter() - started) * 1000, 2))
        await self.reap(sorted(self.dead))

    async def _heal(self) -> None:
        """A seat held here is never away (another process may have marked it
        so while this one was taking it over)."""
        state = self.state
        if state is None or state.phase is Phase.ENDED:
            return
        for seat in sorted(self.conns):
            info = self.state.seats[seat] if self.state is not None else None
            if info is not None and info.away and not info.left:
                await self._commit(seat, SetAway(away=False), None, None)

    # -- actions --------------------------------------------------------------

    def _still_wanted(self, seat: int, action: Action, client: Client | None,
                      msg: dict[str, Any] | None) -> bool:
        """After catching up: would one process still take this action?"""
        state = self.state
        assert state is not None
        if isinstance(action, SetAway):
            return state.phase is not Phase.ENDED and state.seats[seat].away != action.away
        if client is None:
            return True
        try:
            version = msg.get("version") if msg is not None else None
            if version is not None and is_stale(state, version):
                raise Refused("action/stale", f"The table moved on since the view you "
                              f"acted on (version {version}; now {state.version}). Look "
                              "again and choose.")
            self._check_timers(state, seat, action)
        except Refused as exc:
            self._refuse(client, exc, msg)
            return False
        return True

    async def _synced(self, client: Client | None, msg: dict[str, Any] | None) -> bool:
        """Catch up with the shared log; False (the client answered) if that failed."""
        try:
            await self._sync()
        except STORE_ERRORS as exc:
            self._store_failed(exc, client, msg)
            return False
        except Refused as exc:
            if client is not None:
                self._refuse(client, exc, msg)
            return False
        return True

    async def _commit(self, seat: int, action: Action, client: Client | None,
                      msg: dict[str, Any] | None) -> None:
        """Apply, append if the log has not moved (else catch up and judge
        again), then adopt and broadcast."""
        for _ in range(20):
            if not self.synced and not await self._synced(client, msg):
                return
            state = self.state
            if state is None:
                return
            try:
                new, events = apply(state, seat, action)
            except IllegalAction as exc:
                if client is not None:
                    self._refuse(client, exc, msg)
                return
            now = time.time()
            try:
                await self.store.append_shared(self.code, new.version, seat,
                                               without_text(action), texts_of(action), now)
            except Conflict as conflict:
                log("append_conflict", room=self.code, version=new.version,
                    log=conflict.length)
                if not await self._synced(client, msg):
                    return
                if self.state is None or not self._still_wanted(seat, action, client, msg):
                    return
                continue
            except STORE_ERRORS as exc:
                self._store_failed(exc, client, msg)
                return
            self.state = new
            self.touch()
            self._track_timers(state, new, now)
            log("action", room=self.code, seat=seat, action=action.type, version=new.version)
            self._broadcast(new, [e.to_dict() for e in events])
            return
        log("append_gave_up", room=self.code, seat=seat)
        if client is not None:
            self._refuse(client, unavailable(), msg)

    def _store_failed(self, exc: BaseException, client: Client | None,
                      msg: dict[str, Any] | None) -> None:
        log("store_failed", room=self.code, error=describe(exc))
        self.synced = False  # read the log again once Redis answers
        if client is not None:
            self._refuse(client, unavailable(), msg)

    async def action(self, client: Client, msg: dict[str, Any]) -> None:
        if not self.synced or self.state is None:
            try:
                await self._sync()
            except STORE_ERRORS as exc:
                self._store_failed(exc, client, msg)
                return
            except Refused as exc:
                self._refuse(client, exc, msg)
                return
        await super().action(client, msg)

    # -- what the other processes did ----------------------------------------

    async def heard_action(self, data: dict[str, Any]) -> None:
        if not self.synced:
            await self.resync()
            return
        state = self.state
        if state is None:
            return
        seq = data["seq"]
        if seq <= state.version:
            return
        try:
            if seq > state.version + 1:
                await self._sync()
                return
            new, events = apply(state, data["seat"], action_from(data))
        except GameError as exc:
            log("fanout_mismatch", room=self.code, seq=seq, code=exc.code)
            self.synced, self.diverged = False, True
            return
        except STORE_ERRORS as exc:
            self.synced = False
            log("store_failed", room=self.code, error=describe(exc))
            return
        self.state = new
        self._track_timers(state, new, data["ts"])
        self._broadcast(new, [e.to_dict() for e in events])
        await self._heal()

    async def heard_room(self) -> None:
        """Another process changed the record (a seat, the start) or presence."""
        try:
            was_started = self.started
            await self._refresh()
            if self.started and (not was_started or self.state is None):
                await self._rebuild()
                if self.state is not None:
                    self._broadcast(self.state, [{"type": "game_started"}])
            elif not self.started:
                self.send_lobby()
        except STORE_ERRORS as exc:
            self.synced = False
            log("store_failed", room=self.code, error=describe(exc))
        except Refused:
            pass

    def heard_claim(self, token_hash: str) -> None:
        """Another process took a seat with its token: let go of it here."""
        seat = next((s for s in self.conns if self._hashes([s]) == [token_hash]), None)
        if seat is None:
            return
        old = self.conns.pop(seat)
        old.send("released", seat=seat, reason="replaced")
        if not self.seats_of(old):
            old.room = None
            old.close(CLOSE_REPLACED, "seat taken by a newer connection")

    async def resync(self) -> None:
        try:
            await self._sync()
            await self._refresh()
            if not self.started:
                self.send_lobby()
        except STORE_ERRORS as exc:
            self.synced = False
            log("store_failed", room=self.code, error=describe(exc))
        except Refused:
            pass

    async def reap(self, seats: list[int]) -> None:
        """Mark away the seats held by a process that died."""
        for seat in seats:
            state = self.state
            if state is None or seat in self.conns or state.phase is Phase.ENDED:
                continue
            if not state.seats[seat].away and not state.seats[seat].left:
                await self._commit(seat, SetAway(away=True), None, None)

    # -- the lobby ------------------------------------------------------------

    def lobby_frame(self, client: Client) -> bytes:
        frame = super().lobby_frame(client)
        if not self.remote:
            return frame
        fields = decode(frame, sender="server")
        for seat in fields["seats"]:
            seat["connected"] = seat["connected"] or seat["seat"] in self.remote
        kind = fields.pop("type")
        fields.pop("id", None)
        return encode(kind, **fields)

    async def _reserve(self) -> None:
        """Make this new room's code ours across every process."""
        while not await self.store.create_room(self.record):
            old = self.code
            code = codes.new_code(self.hub.rooms)
            log("code_collision", room=old)
            self.hub.rooms.pop(old, None)
            self.code = self.record.code = code
            self.hub.rooms[code] = self
        self.reserved = True
        await self.hub.fanout.join(self.code)

    async def _locked(self, client: Client, msg: dict[str, Any], job: Any, *,
                      limit: bool = False) -> None:
        """Run a lobby job under the room's lock on a fresh record; put the
        record back if Redis fails halfway."""
        snapshot = (RoomRecord.from_bytes(self.record.to_bytes(), self.record.last_active),
                    dict(self.conns))
        try:
            if limit and not await self.store.take_join(client.address,
                                                        self.hub.config.joins_per_minute):
                raise joins_refused(self.hub.config.joins_per_minute)
            if not self.reserved:
                await self._reserve()
            token = await self.store.lock(self.code)
            try:
                await self._refresh()
                if self.started and self.state is None:
                    await self._rebuild()
                before = self.record.to_bytes()
                await job()
                if self.record.to_bytes() != before:
                    await self.store.announce(self.code)
            finally:
                with contextlib.suppress(*STORE_ERRORS):
                    await self.store.unlock(self.code, token)
        except Refused as exc:
            self._refuse(client, exc, msg)
        except STORE_ERRORS as exc:
            self.record, self.conns = snapshot
            log("store_failed", room=self.code, error=describe(exc))
            if not self.reserved and self.hub.rooms.get(self.code) is self:
                del self.hub.rooms[self.code]  # a room that never was
            self._refuse(client, unavailable(), msg)

    async def add_seat(self, client: Client, name: str, msg: dict[str, Any]) -> None:
        if client.gone:
            return

        async def job() -> None:
            await Room.add_seat(self, client, name, msg)
            await self.store.set_here(self.code, self._hashes(self.seats_of(client)))

        await self._locked(client, msg, job, limit=True)

    async def start(self, client: Client, msg: dict[str, Any]) -> None:
        async def job() -> None:
            await Room.start(self, client, msg)
            if self.state is not None:
                self.synced = True

        await self._locked(client, msg, job)

    async def leave(self, client: Client, seat: int | None, msg: dict[str, Any]) -> None:
        if self.started:
            await Room.leave(self, client, seat, msg)
            return

        async def job() -> None:
            held = set(self._hashes(self.seats_of(client)))
            await Room.leave(self, client, seat, msg)
            gone = held - set(self._hashes(self.seats_of(client)))
            if gone and self.hub.rooms.get(self.code) is self:
                await self.store.release_here(self.code, sorted(gone))

        await self._locked(client, msg, job)

    async def rejoin(self, client: Client, token: str, msg: dict[str, Any]) -> None:
        if client.gone:
            return
        try:
            if not await self.store.take_join(client.address,
                                              self.hub.config.joins_per_minute):
                raise joins_refused(self.hub.config.joins_per_minute)
            await self._refresh()
            seat = codes.match_token(token, [s.token_hash for s in self.record.seats])
            if seat is not None:
                await self.store.claim(self.code, self.record.seats[seat].token_hash)
                await self._sync()
        except Refused as exc:
            self._refuse(client, exc if exc.code != "room/not_found"
                         else self.hub.auth_refused(), msg)
            return
        except STORE_ERRORS as exc:
            self._store_failed(exc, client, msg)
            return
        await super().rejoin(client, token, msg)

    async def disconnected(self, client: Client) -> None:
        hashes = self._hashes(self.seats_of(client))
        await super().disconnected(client)
        # stopping: the presence stays ours, so the others mark these seats
        # away once this process stops beating
        if hashes and not self.hub.stopping:
            with contextlib.suppress(*STORE_ERRORS):
                await self.store.release_here(self.code, hashes)
                if not self.started:
                    await self.store.announce(self.code)

    async def _restore(self) -> None:
        await self._sync()


